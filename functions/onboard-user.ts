import { publishAuditEvents } from '../shared/audit/index.ts';
import {
  createEventBridgeClient,
  createIamClient,
  createSesClient,
  lambdaHandler,
  loadAwsClientSettings,
  logger,
  SERVICE_TAG_PREFIX,
} from '../shared/kernel/index.ts';
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';
import {
  loadOnboardingConfig,
  onboardedMetricValues,
  onboardingFailedMetricValues,
  onboardingIam,
  onboardUsers,
  parseOnboardingRequest,
  serviceTagKeys,
} from '../shared/onboarding/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name.
const config = loadOnboardingConfig(process.env);
const mail = loadMailConfig(process.env);
const awsSettings = loadAwsClientSettings(process.env);
const iam = createIamClient(awsSettings);
const eventBridge = createEventBridgeClient(awsSettings);
const mailer = mailerFor(mail, createSesClient(awsSettings), (path) =>
  logger.info('Mail copy written', { path }),
);

const requestRules = {
  allowedGroups: config.allowedGroups,
  allowedTagKeys: config.allowedTagKeys,
  // The exempt tag is the service's too: a new user is never born exempt from key enforcement.
  serviceTagKeys: [...serviceTagKeys(mail.emailTag), config.exemptTag],
  reservedTagPrefixes: [SERVICE_TAG_PREFIX],
};

/**
 * Invoked by hand: creates console users who must change their password at first sign-in and who then
 * create their own access keys. Returns each user's temporary password to the caller, and only there.
 */
export const handler = lambdaHandler({
  onSuccess: onboardedMetricValues,
  onError: onboardingFailedMetricValues,
}).handler(async (event, context) => {
  const request = parseOnboardingRequest(event, requestRules);
  return onboardUsers(
    {
      iam: onboardingIam(iam),
      mailer,
      publishAudit: (events) => publishAuditEvents(eventBridge, events, { busName: config.eventBusName }),
      log: logger,
      clock: () => new Date(),
    },
    request,
    {
      emailTag: mail.emailTag,
      userPath: config.userPath,
      permissionsBoundaryArn: config.permissionsBoundaryArn,
      selfServicePolicyArn: config.selfServicePolicyArn,
      requestId: context.awsRequestId,
    },
  );
});
