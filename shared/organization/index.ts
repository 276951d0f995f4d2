// organization: every account of an AWS Organization from one deployment. List the accounts -> per account,
// assume the member role and run the single-account key and password-policy jobs (mail and audit events
// from the security account) -> one organization digest. An orchestration layer: it uses the capabilities
// key-enforcement and password-policy through their index.ts; nothing imports it but functions/ and scripts/.

export { accountCounts, accountRunResult, emptyCounts } from './account-result.ts';
export { type AccountWorkerSettings, accountWorker } from './account-worker.ts';
export { mapWithConcurrency } from './bounded-map.ts';
export { classifyFailure } from './classify-failure.ts';
export { collectResults } from './collect-results.ts';
export {
  ACCOUNT_ID,
  checkAccountIds,
  IAM_ROLE_NAME,
  loadOrganizationConfig,
  ORGANIZATION_DEFAULTS,
  type OrganizationConfig,
  OU_ID,
} from './config.ts';
export {
  type AccountJobs,
  type AccountRunRequest,
  type AccountWorkerDependencies,
  enforceAccount,
} from './enforce-account.ts';
export {
  AccountListingError,
  AccountThrottledError,
  InvalidOrganizationEventError,
  MemberRoleUnavailableError,
  OrganizationError,
  RunResultsError,
} from './errors.ts';
export { parseAccountEvent, parseDigestEvent, parseListAccountsEvent } from './events.ts';
export { storeKeyInventory } from './inventory-store.ts';
export { listTargetAccounts } from './list-target-accounts.ts';
export { memberRoleArn } from './member-session.ts';
export { listOrganizationAccounts } from './organization-accounts.ts';
export { accountTitle, organizationTotals, renderOrganizationDigest } from './organization-digest.ts';
export { checkOrganizationGuard } from './organization-guard.ts';
export { runOrganization, THROTTLE_RETRY } from './run-organization.ts';
export { readKeyInventory, readMapResults } from './run-results.ts';
export { selectAccounts } from './select-accounts.ts';
export { type OrganizationRunSummary, sendOrganizationDigest } from './send-organization-digest.ts';
export type {
  AccountListing,
  AccountRunResult,
  OrganizationAccount,
  OrganizationGuard,
  SkippedAccount,
  TargetAccount,
} from './types.ts';
