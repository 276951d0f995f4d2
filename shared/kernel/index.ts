// kernel: what every package stands on. AWS clients, time, the logger and metrics, settings from the
// environment, IAM's name rules and the one translation of IAM errors. It imports no other package.
export { invocationAccount, nameAccount, readAccountAlias } from './account-alias.ts';
export { type AccountName, accountLabel } from './account-name.ts';
export type { AccountPasswordPolicy } from './account-password-policy.ts';
export { readAccountPasswordPolicy } from './account-password-policy.ts';
export {
  awsErrorName,
  describeError,
  iamError,
  isNoSuchEntityError,
  isThrottlingError,
  withIamErrors,
} from './aws-errors.ts';
export {
  type AwsCredentials,
  CHAT_MAX_ATTEMPTS,
  createEventBridgeClient,
  createIamClient,
  createOrganizationsClient,
  createS3Client,
  createSesClient,
  createSnsClient,
  createStepFunctionsClient,
  createStsClient,
} from './clients.ts';
export { type AwsClientSettings, loadAwsClientSettings } from './config.ts';
export type { Environment } from './env.ts';
export {
  commaList,
  dayList,
  dryRunClock,
  eventBusName,
  flag,
  isoTimestamp,
  parseEnvironment,
  tagName,
  unsetWhenEmpty,
  wholeNumber,
} from './env.ts';
export { ConfigError, IamAccountError, IamBusyError, IamEntityNotFoundError } from './errors.ts';
export {
  DEFAULT_EVENT_BUS_NAME,
  DEFAULT_EXEMPT_TAG,
  IAM_GROUP_NAME,
  IAM_NAME_CHARACTERS,
  IAM_PATH,
  IAM_POLICY_ARN,
  IAM_TAG_CHARACTERS,
  IAM_TAG_KEY,
  IAM_TAG_VALUE,
  IAM_USER_ARN,
  IAM_USER_NAME,
  SERVICE_TAG_PREFIX,
} from './iam-names.ts';
export { type InvokedFunction, invokedIn, parseDryRunEvent } from './invocation-event.ts';
export { lambdaHandler } from './lambda-handler.ts';
export { logger } from './logger.ts';
export type { OutcomeCounts } from './metrics.ts';
export { countOutcome, metrics } from './metrics.ts';
export { escapingTemplateTag, type TemplateValue } from './template-tag.ts';
export {
  addDays,
  DAY_MS,
  daysUntil,
  isoDay,
  parseIsoInstant,
  readableDate,
  startOfUtcDay,
  wholeDaysBetween,
} from './time.ts';
