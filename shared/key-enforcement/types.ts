import type { AuditPublishResult } from '../audit/index.ts';
import type { ChatReport } from '../chat/index.ts';
import type { SendResult } from '../mail/index.ts';
import type { ActionBacklog, ActionOutcome } from '../nights/index.ts';

/** An access key as IAM reports it live (ListAccessKeys), the identity every decision is about. */
export interface LiveAccessKey {
  userName: string;
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
}

/** When an active key was last used, as IAM reports it live; `undefined` date: never used. */
export interface KeyLastUse {
  accessKeyId: string;
  lastUsedDate: Date | undefined;
}

/** What the planner knows of one user: live keys and tags, loaded only for users the report flags. */
export interface UserKeyFacts {
  userName: string;
  liveKeys: LiveAccessKey[];
  tags: Record<string, string>;
  /** Present only when the unused-key rule is on: live last-use per active key. */
  lastUse?: KeyLastUse[];
}

/**
 * What the plan decides for a key. `hold`: the key would be due, but its user's exempt tag cannot be read,
 * so nothing happens until a person fixes the tag (shown as "held for review").
 */
export type KeyDecisionKind = 'none' | 'warn' | 'deactivate' | 'delete' | 'exempt' | 'hold';

/**
 * Which rule a deactivation follows; the enforcer re-checks last use before an `unused` deactivation.
 * `reactivated`: a key this service had deactivated, found active again; deactivated again at once.
 */
export type DeactivationRule = 'max-age' | 'unused' | 'reactivated';

export interface KeyDecision {
  userName: string;
  accessKeyId: string;
  /** The key as the plan saw it; the enforcer acts only if the live key still matches. */
  status: LiveAccessKey['status'];
  createDate: Date;
  ageDays: number;
  decision: KeyDecisionKind;
  reason: string;
  /** Active keys: when the key is (or was) due for deactivation. */
  deactivationDate?: Date;
  deactivationRule?: DeactivationRule;
  /** Active keys under the unused rule: the last use the plan saw (undefined: never used). */
  lastUsedDate?: Date;
  /** Inactive keys: since when, per this service's record (and whose record), and when deletion is due. */
  inactiveSince?: Date;
  inactiveSource?: 'deactivated' | 'seen-inactive' | 'first-seen-now';
  deletionDate?: Date;
  /** Exempt keys: until when (`indefinite` for `true`). */
  exemptUntil?: Date | 'indefinite';
  /**
   * A warning that is the key's first notice: the key is due (or nearly) and its owner was never told, so
   * it gets a deactivation date KEY_FIRST_NOTICE_DAYS or more nights out, recorded tonight.
   */
  firstNotice?: boolean;
  /** Active keys: the deactivation date its owner was told on first notice, when that is the deadline. */
  toldDate?: Date;
  /**
   * Deactivations and deletions due tonight that the per-night limit leaves for a later night: the night
   * they are expected to be acted on (`until`), absent when the limit is 0.
   */
  waits?: { until?: Date };
}

/** A change to the records this service keeps in user tags (no key is touched by these). */
export interface KeyRecordChange {
  userName: string;
  /**
   * Keys first seen inactive: their grace period starts now. The enforcer writes their `inactive-since`
   * records with the real time of the write, never the decision clock.
   */
  startGracePeriod: { accessKeyId: string; createDate: Date }[];
  /** Tags to set with a value known when planning. */
  set: Record<string, string>;
  /** Tag keys to remove: records of keys that no longer exist or are active again. */
  remove: string[];
  reason: string;
}

export type FindingSeverity = 'critical' | 'warning';

export interface Finding {
  severity: FindingSeverity;
  subject: string;
  message: string;
}

export interface KeyPlan {
  now: Date;
  settings: KeyPolicySettings;
  limits: NightLimits;
  budget: NightBudget;
  decisions: KeyDecision[];
  recordChanges: KeyRecordChange[];
  findings: Finding[];
}

/** A decision about an active key this service had deactivated: someone re-activated it. */
export function isReactivated(decision: KeyDecision): boolean {
  return decision.status === 'Active' && decision.inactiveSource === 'deactivated';
}

/** Decisions that change a key; the per-night limits and the guard count these. */
export function isDestructive(decision: KeyDecisionKind): decision is 'deactivate' | 'delete' {
  return decision === 'deactivate' || decision === 'delete';
}

/** The rules that decide what happens to a key: pure data, passed to the planner. */
export interface KeyPolicySettings {
  /** An active key older than this many days is deactivated. */
  maxAgeDays: number;
  /** An active key this many days or fewer from its deactivation date is warned. */
  warningDays: number;
  /** An inactive key is deleted once it has stayed inactive this many days. */
  inactiveGraceDays: number;
  /** An active key unused this many days is deactivated; 0 turns the rule off. */
  unusedDays: number;
  /** The user tag whose value `true` or an ISO date exempts the user's keys. */
  exemptTag: string;
  /** Days before deactivation at which the owner is mailed a warning, most distant first (e.g. 14, 7, 1). */
  warningNoticeDays: number[];
  /**
   * A key found due (or less than this many days from it) whose owner was never warned gets a first notice
   * and a deactivation date at least this many days out; 0: deactivated at its deadline, told or not.
   */
  firstNoticeDays: number;
}

/** How many keys one night may deactivate and delete; what is due beyond that waits for later nights. */
export interface NightLimits {
  deactivations: number;
  deletions: number;
}

/** One kind of action tonight against its per-night limit (nights' `ActionBacklog`), counted in keys. */
export type { ActionBacklog };

export interface NightBudget {
  deactivate: ActionBacklog;
  delete: ActionBacklog;
}

/**
 * What became of a decision: `done` (the change was made), `skipped` (the live re-check found the key not
 * as planned, so the change was not needed: shown as "not needed (live check)"), `failed`, `dry-run`,
 * `held-by-guard`, `waiting` (due, left for a later night by the per-night limit), or `reported` (warn,
 * exempt and hold decisions, which change nothing).
 */
export type KeyOutcome = ActionOutcome;

export interface KeyResult {
  decision: KeyDecision;
  outcome: KeyOutcome;
  /** Why it was skipped or failed, or what went wrong after it was done. */
  detail?: string;
  actedAt?: Date;
}

export interface RecordResult {
  change: KeyRecordChange;
  outcome: 'done' | 'failed' | 'dry-run' | 'held-by-guard';
  detail?: string;
}

/** Whether tonight looks wrong rather than busy; tripped: nothing is changed, recorded or mailed to owners. */
export interface Guard {
  tripped: boolean;
  /** Keys that need a deactivation, a deletion or a first notice tonight. */
  keysNeedingAction: number;
  /** Access keys in the account (credential report, root excluded). */
  keysInAccount: number;
  /** Why the night looks wrong, in words; absent when it does not. */
  reason?: string;
}

export interface EnforcementResult {
  keys: KeyResult[];
  records: RecordResult[];
}

export interface OwnerMailResult {
  userName: string;
  address?: string;
  status: 'sent' | 'failed' | 'skipped' | 'unreachable';
  detail?: string;
  keys: { accessKeyId: string; notice: KeyNotice['kind'] }[];
}

export interface NotificationSummary {
  owners: OwnerMailResult[];
  /** Why no owner was mailed tonight, when none was. */
  ownersNotMailed?: string;
  /** The run's chat messages (the run, each critical finding): posted before the digest, which reports them. */
  chat: ChatReport;
  digest: SendResult;
}

/** One row of the summary: a key that was acted on, warned, exempt or skipped. */
export interface KeySummaryRow {
  userName: string;
  accessKeyId: string;
  ageDays: number;
  decision: KeyDecisionKind;
  reason: string;
  outcome: KeyOutcome;
  detail?: string;
  deactivationDate?: string;
  deletionDate?: string;
}

export interface RunFailure {
  userName?: string;
  accessKeyId?: string;
  step: string;
  error: string;
}

/**
 * The counts of a run, by what became of each key: the digest's subject and table, the summary table and
 * the run metrics all read these, so they cannot disagree.
 */
export interface KeyCounts {
  /** Changes made tonight. */
  deactivated: number;
  deleted: number;
  /** Changes planned and not made because this is a dry run or the guard tripped. */
  wouldDeactivate: number;
  wouldDelete: number;
  warned: number;
  exempt: number;
  /** Decision `hold`: due, but the exempt tag cannot be read. */
  heldForReview: number;
  /** Outcome `skipped`: the live re-check found the change no longer needed. */
  notNeeded: number;
  /** Changes that failed. */
  failed: number;
  /** Outcome `waiting`: due, left for a later night by the per-night limits. */
  waiting: number;
  /** Every failure of the run (`failures`): failed changes, users that could not be read, records. */
  failures: number;
}

/** How a night chose the users it planned, and what that cost in reads. */
export interface ReviewSummary {
  /** Users whose keys were listed live to plan (ListAccessKeys). */
  lookedAtLive: number;
  /** Users with only changes due, planned from the report and their records (re-checked before each change). */
  fromRecords: number;
  /** How the flagged users' tags were read: `in bulk` (GetAccountAuthorizationDetails), `user by user`, or not at all. */
  tagsRead: 'none' | 'in bulk' | 'user by user';
  /** Users not looked at whose keys would be due but for their exemption. */
  exemptNotLookedAt: string[];
  /** Their keys that would be due: counted as exempt with the keys planned. */
  exemptKeysNotLookedAt: number;
}

/** What a run did and why, before anyone is told: what the digest and the summary table report. */
export interface RunSummary {
  dryRun: boolean;
  /** The decision clock: the real time, or KEY_HYGIENE_NOW in a dry run. */
  decidedAt: string;
  reportGeneratedAt: string;
  usersInReport: number;
  /** Users planned tonight: looked at live, or judged from the report and their records. */
  usersReviewed: number;
  /** How tonight chose whom to look at (absent in summaries of older runs). */
  review?: ReviewSummary;
  guard: Guard;
  /** Tonight's deactivations and deletions against their per-night limits, and the backlog's forecast. */
  budget: NightBudget;
  /** What was planned, by decision. */
  decisions: Record<KeyDecisionKind, number>;
  outcomes: Record<KeyOutcome, number>;
  /** What became of the keys: what every report of the run counts. */
  counts: KeyCounts;
  keys: KeySummaryRow[];
  recordChanges: { userName: string; reason: string; outcome: string; detail?: string }[];
  findings: Finding[];
  failures: RunFailure[];
}

/** What a run did and why: returned by the handler, logged, and published (in brief) as an audit event. */
export interface KeyEnforcementSummary extends RunSummary {
  notifications: NotificationSummary;
  audit: AuditPublishResult | { skipped: string };
}

export type KeyNotice =
  | {
      kind: 'warning';
      stage: number;
      daysLeft: number;
      deactivationDate: Date;
      /** The first the owner hears of it: the key is due, or nearly, and the date was set tonight. */
      firstNotice?: boolean;
    }
  | {
      kind: 'deactivated';
      at: Date;
      deletionDate: Date;
      late: boolean;
      /** The key had been re-activated: when this service first deactivated it (the grace period's start). */
      firstDeactivatedAt?: Date;
    }
  | { kind: 'deleted'; at: Date };
