import { publishAuditEvents } from '../shared/audit/index.ts';
import { chatPosterFor, loadChatConfig } from '../shared/chat/index.ts';
import {
  createEventBridgeClient,
  createIamClient,
  createSesClient,
  createSnsClient,
  invokedIn,
  lambdaHandler,
  loadAwsClientSettings,
  logger,
  parseDryRunEvent,
} from '../shared/kernel/index.ts';
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';
import {
  enforcePasswordPolicy,
  iamPasswordPolicy,
  loadPasswordPolicyConfig,
  passwordPolicyMetricValues,
} from '../shared/password-policy/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name, before any call.
const config = loadPasswordPolicyConfig(process.env);
const mailConfig = loadMailConfig(process.env);
const chatConfig = loadChatConfig(process.env);
const awsSettings = loadAwsClientSettings(process.env);
const iam = createIamClient(awsSettings);
const eventBridge = createEventBridgeClient(awsSettings);
const mailer = mailerFor(mailConfig, createSesClient(awsSettings));
const chat = chatPosterFor(chatConfig, (region) => createSnsClient(awsSettings, region));

/** Daily: hold the account password policy at the baseline, never loosening it; report the drift. */
export const handler = lambdaHandler({ onSuccess: passwordPolicyMetricValues }).handler(
  async (event, context) => {
    const request = parseDryRunEvent(event, 'enforcePasswordPolicy');
    const account = invokedIn(context).accountId;
    const report = await enforcePasswordPolicy(
      {
        policies: iamPasswordPolicy(iam),
        publishAudit: (events) => publishAuditEvents(eventBridge, events, { busName: config.eventBusName }),
        mailer,
        securityTeam: mailConfig.securityTeam,
        chat,
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
  },
);
