import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { publishAuditEvents } from '../shared/audit/index.ts';
import {
  countOutcome,
  createEventBridgeClient,
  createIamClient,
  createSesClient,
  loadAwsClientSettings,
  logger,
  metrics,
  parseDryRunEvent,
} from '../shared/kernel/index.ts';
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';
import {
  enforcePasswordPolicy,
  iamPasswordPolicy,
  loadPasswordPolicyConfig,
  type PasswordPolicyReport,
  passwordPolicyMetricValues,
} from '../shared/password-policy/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name, before any call.
const config = loadPasswordPolicyConfig(process.env);
const mailConfig = loadMailConfig(process.env);
const awsSettings = loadAwsClientSettings(process.env);
const iam = createIamClient(awsSettings);
const eventBridge = createEventBridgeClient(awsSettings);
const mailer = mailerFor(mailConfig, createSesClient(awsSettings), (path) =>
  logger.info('Mail copy written', { path }),
);

/** Daily: hold the account password policy at the baseline, never loosening it; report the drift. */
export const handler = middy<unknown, PasswordPolicyReport, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(countOutcome(metrics, { onSuccess: passwordPolicyMetricValues }))
  .handler(async (event, context) => {
    const request = parseDryRunEvent(event, 'enforcePasswordPolicy');
    // arn:aws:lambda:<region>:<account>:function:<name>; `serverless invoke local` passes no ARN.
    const account = context.invokedFunctionArn?.split(':')[4];
    const report = await enforcePasswordPolicy(
      {
        policies: iamPasswordPolicy(iam),
        publishAudit: (events) => publishAuditEvents(eventBridge, events, { busName: config.eventBusName }),
        mailer,
        securityTeam: mailConfig.securityTeam,
        log: logger,
        clock: () => new Date(),
      },
      {
        baseline: config.baseline,
        dryRun: config.dryRun || request.dryRun,
        ...(account ? { account } : {}),
      },
    );
    logger.info('Password policy enforcement finished', { report });
    return report;
  });
