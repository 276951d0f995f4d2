import { chatPosterFor, loadChatConfig } from '../shared/chat/index.ts';
import {
  createEventBridgeClient,
  createIamClient,
  createSesClient,
  createSnsClient,
  invocationAccount,
  lambdaHandler,
  loadAwsClientSettings,
  logger,
  parseDryRunEvent,
} from '../shared/kernel/index.ts';
import {
  keyEnforcementDependencies,
  keyEnforcementOptions,
  keyRunMetricValues,
  loadKeyEnforcementConfig,
  runKeyEnforcement,
} from '../shared/key-enforcement/index.ts';
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name.
const config = loadKeyEnforcementConfig(process.env);
const mail = loadMailConfig(process.env);
const chat = loadChatConfig(process.env);
const awsSettings = loadAwsClientSettings(process.env);
const clients = {
  iam: createIamClient(awsSettings),
  eventBridge: createEventBridgeClient(awsSettings),
  mailer: mailerFor(mail, createSesClient(awsSettings)),
  chat: chatPosterFor(chat, (region) => createSnsClient(awsSettings, region)),
};

/** Nightly: deactivate old keys, delete long-inactive ones, explain every decision. */
export const handler = lambdaHandler({ onSuccess: keyRunMetricValues }).handler(async (event, context) => {
  const request = parseDryRunEvent(event, 'enforceKeys');
  const summary = await runKeyEnforcement(
    keyEnforcementDependencies(config, clients, {
      timeLeftMs: context.getRemainingTimeInMillis(),
      mail,
      // The account this function runs in and enforces, named in its mail.
      ...(await invocationAccount(clients.iam, context, logger)),
    }),
    keyEnforcementOptions(config, request),
  );
  logger.info('Key enforcement finished', { summary });
  return summary;
});
