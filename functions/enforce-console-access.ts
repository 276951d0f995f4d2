import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { publishAuditEvents } from '../shared/audit/index.ts';
import {
  type ConsoleAccessSummary,
  consoleAccount,
  loadConsoleAccessConfig,
  recordConsoleAccessMetrics,
  runConsoleAccess,
} from '../shared/console-access/index.ts';
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
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name.
const config = loadConsoleAccessConfig(process.env);
const mail = loadMailConfig(process.env);
const awsSettings = loadAwsClientSettings(process.env);
const iam = createIamClient(awsSettings);
const eventBridge = createEventBridgeClient(awsSettings);
const mailer = mailerFor(mail, createSesClient(awsSettings), (path) =>
  logger.info('Mail copy written', { path }),
);

// Time kept back from the credential-report wait for removing, mailing and publishing.
const ACTING_RESERVE_MS = 60_000;

/** Nightly: remove console passwords nobody uses (after warnings), remind users without MFA, list idle users. */
export const handler = middy<unknown, ConsoleAccessSummary, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    const request = parseDryRunEvent(event, 'enforceConsoleAccess');
    const remainingMs = context.getRemainingTimeInMillis();
    const summary = await runConsoleAccess(
      {
        fetchReport: () =>
          fetchCredentialReport(iam, {
            budgetMs: Math.max(remainingMs - ACTING_RESERVE_MS, remainingMs / 2),
            onWait: (reason, delayMs) =>
              logger.info('Waiting for the credential report', { reason, delayMs }),
          }),
        account: consoleAccount(iam),
        publishAudit: (events) => publishAuditEvents(eventBridge, events, { busName: config.eventBusName }),
        log: logger,
        actionTime: () => new Date(),
        mailer,
        notification: {
          securityTeam: mail.securityTeam,
          recipients: { emailTag: mail.emailTag, emailDomain: mail.emailDomain },
        },
      },
      {
        settings: config.settings,
        dryRun: config.dryRun || request.dryRun,
        maxActionsPerRun: config.maxActionsPerRun,
        now: config.now ?? new Date(),
      },
    );
    recordConsoleAccessMetrics(metrics, summary);
    logger.info('Console access enforcement finished', { summary });
    return summary;
  });
