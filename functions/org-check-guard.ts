import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ConfigError, createS3Client, loadAwsClientSettings, logger } from '../shared/kernel/index.ts';
import {
  checkOrganizationGuard,
  collectResults,
  loadOrganizationConfig,
  type OrganizationGuard,
  parseDigestEvent,
  readMapResults,
} from '../shared/organization/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name.
const organization = loadOrganizationConfig(process.env);
const s3 = createS3Client(loadAwsClientSettings(process.env));

/**
 * The organization-wide guard, between the forecast of every account and the run: reads the forecasts the
 * Map wrote and says whether more deactivations and deletions are planned than ORG_MAX_ACTIONS.
 */
export const handler = middy<unknown, OrganizationGuard, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const limit = organization.maxActions;
    // The state machine has this step only when orgMaxActions is set, and sets ORG_MAX_ACTIONS from it.
    if (limit === undefined) throw new ConfigError('ORG_MAX_ACTIONS is unset: there is no guard to check');
    const request = parseDigestEvent(event);
    const iterations =
      'results' in request
        ? request.results
        : await readMapResults(s3, request.resultsLocation.bucket, request.resultsLocation.prefix);
    const guard = checkOrganizationGuard(collectResults(request.listed, iterations), limit);
    logger.info(guard.tripped ? 'Organization guard tripped: no account acts' : 'Organization guard passed', {
      guard,
    });
    return guard;
  });
