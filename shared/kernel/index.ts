// kernel: what every package stands on. AWS clients, time, the logger and metrics, settings from the
// environment, IAM's name rules and the one translation of IAM errors. It imports no other package.
export {
  awsErrorName,
  describeError,
  iamError,
  isNoSuchEntityError,
  isThrottlingError,
  withIamErrors,
} from './aws-errors.ts';
export { createEventBridgeClient, createIamClient, createSesClient } from './clients.ts';
export { loadAwsClientSettings } from './config.ts';
export type { Environment } from './env.ts';
export {
  commaList,
  dayList,
  eventBusName,
  flag,
  isoTimestamp,
  parseEnvironment,
  tagName,
  unsetWhenEmpty,
  wholeNumber,
} from './env.ts';
export { ConfigError, IamAccountError, IamEntityNotFoundError } from './errors.ts';
export {
  DEFAULT_EVENT_BUS_NAME,
  DEFAULT_EXEMPT_TAG,
  IAM_GROUP_NAME,
  IAM_PATH,
  IAM_POLICY_ARN,
  SERVICE_TAG_PREFIX,
} from './iam-names.ts';
export { parseDryRunEvent } from './invocation-event.ts';
export { logger } from './logger.ts';
export { countOutcome, metrics } from './metrics.ts';
export { addDays, DAY_MS, isoDay, parseIsoInstant, wholeDaysBetween } from './time.ts';
