// console-access: the nightly console-access run. Report -> users to look at -> pure plan (unused
// passwords, MFA, idle users) within the per-night limit -> guard -> removal after a live re-check -> owner
// mails and records -> the security team's digest -> summary.
export { CONSOLE_ACCESS_DEFAULTS, loadConsoleAccessConfig } from './config.ts';
export { type ConsoleAccount, consoleAccount } from './console-iam.ts';
export {
  CONSOLE_RECORD_TAG_KEYS,
  NO_MFA_TAG,
  PASSWORD_NOTICE_TAG,
  PASSWORD_REMOVE_ON_TAG,
} from './console-records.ts';
export { consoleAccessDependencies, consoleAccessOptions } from './dependencies.ts';
export { planConsoleAccess } from './plan/plan-console-access.ts';
export { runConsoleAccess } from './run-console-access.ts';
export { consoleAccessMetricValues } from './run-metrics.ts';
export { formatConsoleAccessTable } from './summary-table.ts';
export type { ConsoleAccessSettings, ConsoleAccessSummary } from './types.ts';
