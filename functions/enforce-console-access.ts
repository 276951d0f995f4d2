import {
  consoleAccessDependencies,
  consoleAccessMetricValues,
  consoleAccessOptions,
  loadConsoleAccessConfig,
  runConsoleAccess,
} from '../shared/console-access/index.ts';
import {
  createEventBridgeClient,
  createIamClient,
  createSesClient,
  invocationAccount,
  lambdaHandler,
  loadAwsClientSettings,
  logger,
  parseDryRunEvent,
} from '../shared/kernel/index.ts';
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name.
const config = loadConsoleAccessConfig(process.env);
const mail = loadMailConfig(process.env);
const awsSettings = loadAwsClientSettings(process.env);
const clients = {
  iam: createIamClient(awsSettings),
  eventBridge: createEventBridgeClient(awsSettings),
  mailer: mailerFor(mail, createSesClient(awsSettings)),
};

/** Nightly: remove console passwords nobody uses (after warnings), remind users without MFA, list idle users. */
export const handler = lambdaHandler({ onSuccess: consoleAccessMetricValues }).handler(
  async (event, context) => {
    const request = parseDryRunEvent(event, 'enforceConsoleAccess');
    const summary = await runConsoleAccess(
      consoleAccessDependencies(config, clients, {
        timeLeftMs: context.getRemainingTimeInMillis(),
        mail,
        // The account this function runs in and enforces, named in its mail.
        ...(await invocationAccount(clients.iam, context, logger)),
      }),
      consoleAccessOptions(config, request),
    );
    logger.info('Console access enforcement finished', { summary });
    return summary;
  },
);
