import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  createEventBridgeClient,
  createS3Client,
  createSesClient,
  createStsClient,
  invokedIn,
  loadAwsClientSettings,
  logger,
} from '../shared/kernel/index.ts';
import { loadKeyEnforcementConfig } from '../shared/key-enforcement/index.ts';
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';
import {
  type AccountRunResult,
  accountWorker,
  enforceAccount,
  loadOrganizationConfig,
  parseAccountEvent,
  storeKeyInventory,
} from '../shared/organization/index.ts';
import { loadPasswordPolicyConfig } from '../shared/password-policy/index.ts';

// Read once, at cold start: the same settings as a single-account run, and the organization's; a bad one
// fails the init with the variable's name before any account is touched.
const keys = loadKeyEnforcementConfig(process.env);
const passwordPolicy = loadPasswordPolicyConfig(process.env);
const mail = loadMailConfig(process.env);
const organization = loadOrganizationConfig(process.env);
const aws = loadAwsClientSettings(process.env);
const sts = createStsClient(aws);
const eventBridge = createEventBridgeClient(aws);
const s3 = organization.resultsBucket === undefined ? undefined : createS3Client(aws);
const mailer = mailerFor(mail, createSesClient(aws), (path) => logger.info('Mail copy written', { path }));

// Time kept back from the credential-report wait for acting, recording, mailing and the password policy.
const ACTING_RESERVE_MS = 60_000;

/**
 * One Map iteration: one member account's night, through its member role. A failed account is returned
 * as `failed`; an account AWS kept throttling throws `AccountThrottledError` for the state's Retry.
 */
export const handler = middy<unknown, AccountRunResult, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context) => {
    const request = parseAccountEvent(event);
    logger.appendKeys({ accountId: request.account.accountId, night: request.night });
    const remainingMs = context.getRemainingTimeInMillis();
    const bucket = organization.resultsBucket;
    const worker = accountWorker(
      {
        keys,
        passwordPolicy,
        mail,
        organization,
        aws,
        // Member roles live in the security account's partition.
        partition: invokedIn(context).partition ?? 'aws',
      },
      { sts, eventBridge, mailer },
      {
        night: request.night,
        reportBudgetMs: Math.max(remainingMs - ACTING_RESERVE_MS, remainingMs / 2),
        ...(s3 === undefined || bucket === undefined
          ? {}
          : {
              storeInventory: (accountId: string, records: string[][]) =>
                storeKeyInventory(s3, bucket, { night: request.night, accountId }, records),
            }),
        log: logger,
      },
    );
    return enforceAccount(worker, { ...request, dryRun: request.dryRun || organization.dryRun });
  });
