import { ROOT_ACCOUNT_USER } from '../credential-report/index.ts';
import type { KeyEnforcementSummary } from '../key-enforcement/index.ts';
import type { PasswordPolicyReport } from '../password-policy/index.ts';
import type { AccountCounts, AccountFailure, AccountRunResult, TargetAccount } from './types.ts';

export interface AccountOutcome {
  account: TargetAccount;
  dryRun: boolean;
  /** Absent when the key run never finished. */
  keys?: KeyEnforcementSummary;
  passwordPolicy?: PasswordPolicyReport;
  failure?: AccountFailure;
  /** Where the account's key inventory went, or the records themselves. */
  inventory?: { key: string } | { records: string[][] };
}

/** An account's tallies before anything was counted (a failed account's). */
export const emptyCounts = (): AccountCounts => ({
  deactivated: 0,
  deleted: 0,
  warned: 0,
  exempt: 0,
  held: 0,
  failed: 0,
  backlog: 0,
  planned: 0,
  ownersMailed: 0,
  ownerMailFailed: 0,
});

/** The tallies the organization digest shows for one account, from its key run's summary. Pure. */
export function accountCounts(summary: KeyEnforcementSummary | undefined): AccountCounts {
  if (summary === undefined) return emptyCounts();
  const owners = summary.notifications.owners;
  return {
    deactivated: summary.counts.deactivated,
    deleted: summary.counts.deleted,
    warned: summary.counts.warned,
    exempt: summary.counts.exempt,
    held: summary.counts.heldForReview,
    failed: summary.counts.failures,
    backlog: summary.budget.deactivate.remaining + summary.budget.delete.remaining,
    planned: summary.budget.deactivate.tonight + summary.budget.delete.tonight,
    ownersMailed: owners.filter((owner) => owner.status === 'sent').length,
    ownerMailFailed: owners.filter((owner) => owner.status === 'failed').length,
  };
}

/** One account's result for the Map and the digest: small, plain JSON. Pure. */
export function accountRunResult(outcome: AccountOutcome): AccountRunResult {
  const { account, keys, passwordPolicy, failure, inventory } = outcome;
  const policyOutcome = passwordPolicy?.outcome;
  return {
    accountId: account.accountId,
    name: account.name,
    ...(account.alias === undefined ? {} : { alias: account.alias }),
    status: failure === undefined ? 'done' : 'failed',
    dryRun: outcome.dryRun,
    ...(failure === undefined ? {} : { failure }),
    counts: accountCounts(keys),
    guardTripped: keys?.guard.tripped ?? false,
    passwordPolicyChanged: policyOutcome === 'created' || policyOutcome === 'updated',
    ...(policyOutcome === undefined ? {} : { passwordPolicyOutcome: policyOutcome }),
    rootKeyFindings: (keys?.findings ?? []).filter((finding) => finding.subject === ROOT_ACCOUNT_USER).length,
    ...(inventory === undefined
      ? {}
      : 'key' in inventory
        ? { keysCsvKey: inventory.key }
        : { keys: inventory.records }),
  };
}
