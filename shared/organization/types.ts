// The organization run's data: what the lister hands the Map, what each worker returns, what the digest
// reads. Every shape here crosses a Step Functions state, so it is plain JSON and small.

/** An account of the organization, as Organizations lists it. */
export interface OrganizationAccount {
  accountId: string;
  name: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | string;
  /** The organizational units the account sits in, nearest first; only read when OUs are included. */
  ous?: string[];
}

/** An account the night runs on. The alias is known only once the worker is inside the account. */
export interface TargetAccount {
  accountId: string;
  name: string;
  alias?: string;
}

export type SkipReason = 'excluded' | 'not-included' | 'suspended';

export interface SkippedAccount {
  accountId: string;
  name: string;
  reason: SkipReason;
}

/** The lister's output, and the first state's payload: the accounts to run on and those left out. */
export interface AccountListing {
  /** The night, `YYYY-MM-DD` (UTC), that names the run. */
  night: string;
  dryRun: boolean;
  accounts: TargetAccount[];
  skipped: SkippedAccount[];
}

/**
 * Why an account failed: its member role could not be assumed, AWS denied a call inside it, AWS kept
 * throttling it, or anything else.
 */
export type AccountFailureKind = 'role-missing' | 'access-denied' | 'throttled' | 'error';

export interface AccountFailure {
  kind: AccountFailureKind;
  message: string;
}

/** Per-account tallies of tonight's key decisions and outcomes. */
export interface AccountCounts {
  deactivated: number;
  deleted: number;
  warned: number;
  exempt: number;
  /** Keys held because their exemption tag could not be read. */
  held: number;
  /** Key actions and users that failed. */
  failed: number;
  /** Deactivations and deletions left for later nights by the per-night limits (the account's backlog). */
  backlog: number;
  /** Deactivations and deletions within tonight's limits, whatever became of them (the organization guard sums these). */
  planned: number;
  ownersMailed: number;
  ownerMailFailed: number;
}

/** What one worker invocation returns for one account: small (well under 4 KB without inline keys). */
export interface AccountRunResult {
  accountId: string;
  name: string;
  alias?: string;
  status: 'done' | 'failed';
  dryRun: boolean;
  failure?: AccountFailure;
  counts: AccountCounts;
  guardTripped: boolean;
  passwordPolicyChanged: boolean;
  /** The password-policy run's outcome (`compliant`, `updated`, ...), when it ran. */
  passwordPolicyOutcome?: string;
  rootKeyFindings: number;
  /** The S3 key of this account's key inventory (CSV records, no header) when ORG_RESULTS_BUCKET is set. */
  keysCsvKey?: string;
  /** Otherwise the inventory records themselves. */
  keys?: string[][];
}

/** The organization-wide guard: more destructive actions planned across accounts than this, none act. */
export interface OrganizationGuard {
  limit: number;
  planned: number;
  tripped: boolean;
}
