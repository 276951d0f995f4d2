import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { publishAuditEvents } from '../shared/audit/index.ts';
import { fetchCredentialReport } from '../shared/credential-report/index.ts';
import {
  createEventBridgeClient,
  createIamClient,
  createSesClient,
  loadAwsClientSettings,
  logger,
  metrics,
  parseDryRunEvent,
} from '../shared/kernel/index.ts';
import {
  iamAccount,
  type KeyEnforcementSummary,
  loadKeyEnforcementConfig,
  nameAccount,
  recordRunMetrics,
  runKeyEnforcement,
} from '../shared/key-enforcement/index.ts';
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name.
const config = loadKeyEnforcementConfig(process.env);
const mail = loadMailConfig(process.env);
const awsSettings = loadAwsClientSettings(process.env);
const iam = createIamClient(awsSettings);
const eventBridge = createEventBridgeClient(awsSettings);
const mailer = mailerFor(mail, createSesClient(awsSettings), (path) =>
  logger.info('Mail copy written', { path }),
);

// Time kept back from the credential-report wait for acting, recording and publishing.
const ACTING_RESERVE_MS = 60_000;

/** Nightly: deactivate old keys, delete long-inactive ones, explain every decision. */
export const handler = middy<unknown, KeyEnforcementSummary, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    const request = parseDryRunEvent(event, 'enforceKeys');
    const remainingMs = context.getRemainingTimeInMillis();
    // arn:aws:lambda:<region>:<account>:function:<name>: the account this function runs in and enforces.
    const account = await nameAccount(iam, context.invokedFunctionArn.split(':')[4] ?? '', logger);
    const summary = await runKeyEnforcement(
      {
        fetchReport: () =>
          fetchCredentialReport(iam, {
            budgetMs: Math.max(remainingMs - ACTING_RESERVE_MS, remainingMs / 2),
            onWait: (reason, delayMs) =>
              logger.info('Waiting for the credential report', { reason, delayMs }),
          }),
        account: iamAccount(iam),
        publishAudit: (events) => publishAuditEvents(eventBridge, events, { busName: config.eventBusName }),
        log: logger,
        actionTime: () => new Date(),
        mailer,
        notification: {
          securityTeam: mail.securityTeam,
          recipients: { emailTag: mail.emailTag, emailDomain: mail.emailDomain },
          account,
        },
      },
      {
        settings: config.keyPolicy,
        dryRun: config.dryRun || request.dryRun,
        maxActionsPerRun: config.maxActionsPerRun,
        now: config.now ?? new Date(),
      },
    );
    recordRunMetrics(metrics, summary);
    logger.info('Key enforcement finished', { summary });
    return summary;
  });
