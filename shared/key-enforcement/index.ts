// key-enforcement: the nightly access-key run. Report -> users to look at -> pure plan -> guard ->
// enforcer (live re-check, change, record) -> owner notices and the security team's digest -> summary.
export { KEY_ENFORCEMENT_DEFAULTS, loadKeyEnforcementConfig } from './config.ts';
export {
  type KeyEnforcementClients,
  keyEnforcementDependencies,
  keyEnforcementOptions,
} from './dependencies.ts';
export { iamAccount } from './iam-account.ts';
export {
  deactivatedTag,
  deactivatedValue,
  noticeTag,
  RECORD_TAG_PREFIXES,
  withKeyCreated,
} from './key-records.ts';
export { defuseFormula, KEY_INVENTORY_COLUMNS } from './notify/key-inventory.ts';
export type { NotificationSettings } from './notify/notify-run.ts';
export { selectLiveLooks } from './plan/live-looks.ts';
export { planKeyActions } from './plan/plan-key-actions.ts';
export { selectUsersForReview } from './plan/review-selection.ts';
export { type KeyEnforcementDependencies, runKeyEnforcement } from './run-key-enforcement.ts';
export { keyRunMetricValues } from './run-metrics.ts';
export { formatSummaryTable } from './summary-table.ts';
export type { KeyEnforcementSummary, KeyPolicySettings, NightLimits, UserKeyFacts } from './types.ts';
