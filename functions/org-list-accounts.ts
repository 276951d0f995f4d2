import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createOrganizationsClient, loadAwsClientSettings, logger } from '../shared/kernel/index.ts';
import {
  type AccountListing,
  listOrganizationAccounts,
  listTargetAccounts,
  loadOrganizationConfig,
  parseListAccountsEvent,
} from '../shared/organization/index.ts';

// Read once, at cold start: a bad ORG_* setting fails the init with the variable's name, before any
// account is listed, let alone touched.
const config = loadOrganizationConfig(process.env);
const organizations = createOrganizationsClient(loadAwsClientSettings(process.env));

/** The organization run's first state: tonight's accounts, and those left out with their reason. */
export const handler = middy<unknown, AccountListing, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const request = parseListAccountsEvent(event, new Date());
    const listing = await listTargetAccounts(
      (ous) => listOrganizationAccounts(organizations, ous),
      config,
      request,
    );
    logger.info('Organization accounts listed', {
      night: listing.night,
      dryRun: listing.dryRun,
      accounts: listing.accounts.length,
      skipped: listing.skipped.length,
    });
    return listing;
  });
