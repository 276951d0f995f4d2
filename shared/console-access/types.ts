import type { AuditPublishResult } from '../audit/index.ts';
import type { SendResult } from '../mail/index.ts';
import type { ActionBacklog, ActionOutcome } from '../nights/index.ts';

export interface ConsoleAccessSettings {
  /** A console password unused this long (or never used this long after it was set) is removed; 0: off. */
  passwordUnusedDays: number;
  /** Days before removal at which the owner is warned, largest first (14, 7, 1). */
  passwordWarningNoticeDays: number[];
  /** Removals made in one night at most, most overdue first; the rest wait for later nights; 0 pauses them. */
  passwordRemovalsPerNight: number;
  /**
   * A password due (or fewer than this many days from it) whose owner was never warned gets a first notice
   * instead, with a removal date at least this many days out; at least 1, so never removed the night it is
   * first found.
   */
  passwordFirstNoticeDays: number;
  /** Days between two MFA reminders to one user; 0: no reminders. */
  mfaReminderDays: number;
  /** A user with no password, no active key and no activity this long is listed as idle; 0: off. */
  userIdleDays: number;
  /** The user tag that exempts a user's console password from removal. */
  exemptTag: string;
}

/** What a console password's age is counted from. */
export type ActivitySource = 'last sign-in' | 'password set, never used' | 'user created, never used';

export type PasswordDecisionKind = 'none' | 'warn' | 'remove' | 'exempt' | 'skip';

/** One decision about one user's console password, with the facts it rests on. */
export interface PasswordDecision {
  userName: string;
  decision: PasswordDecisionKind;
  reason: string;
  /** The last sign-in the plan saw (from the credential report); undefined: never signed in. */
  lastUsed?: Date;
  /** The activity the unused period counts from, and what it is. */
  lastActivity?: Date;
  activitySource?: ActivitySource;
  /** When the unused rule makes the password due: its last activity plus PASSWORD_UNUSED_DAYS. */
  dueDate?: Date;
  /** When the password is (or was) to be removed: its due date, or the later date told on first notice. */
  removalDate?: Date;
  /** The removal date told to its owner on first notice, when that decides the removal. */
  toldDate?: Date;
  /** A warning that is the owner's first about this password, due or nearly: it tells a date ahead. */
  firstNotice?: true;
  /** Warnings: the notice stage due tonight (14, 7, 1, or a first notice's days left), if any is still unsent. */
  warningStage?: number;
  /** A removal due tonight that the per-night limit leaves for a later night (absent `until`: limit 0). */
  waits?: { until?: Date };
}

/** A console user without MFA: whether a reminder is due tonight, and since when the service has seen it. */
export interface MfaFinding {
  userName: string;
  /** First night the service saw the user without MFA (tonight, for a user first seen now). */
  withoutMfaSince: Date;
  reminderDue: boolean;
  /** The last reminder sent, if any. */
  lastReminded?: Date;
}

/** A user with no way in and nothing done for a long time: a candidate for removal, never removed here. */
export interface IdleUser {
  userName: string;
  /** The last sign-in or key use, or the user's creation when there was none. */
  lastActivity: Date;
  lastActivitySource: 'sign-in' | 'access key' | 'created';
  idleDays: number;
}

/** Records to write in one user's tags tonight, before any mail: dates told on first notice, first seen without MFA. */
export interface ConsoleRecordChange {
  userName: string;
  set: Record<string, string>;
  reason: string;
}

export interface ConsoleAccessPlan {
  now: Date;
  settings: ConsoleAccessSettings;
  passwords: PasswordDecision[];
  /** Removals against PASSWORD_REMOVALS_PER_NIGHT: due tonight, tonight's share, what remains and when it clears. */
  budget: ActionBacklog;
  records: ConsoleRecordChange[];
  mfa: MfaFinding[];
  idle: IdleUser[];
}

/**
 * What became of a removal: `done`, `skipped` (the live re-check found it not needed), `failed`, `dry-run`,
 * `held-by-guard`, or `waiting` (due, left for a later night by PASSWORD_REMOVALS_PER_NIGHT).
 */
export type RemovalOutcome = Exclude<ActionOutcome, 'reported'>;

/** What became of one planned removal. */
export interface RemovalResult {
  decision: PasswordDecision;
  outcome: RemovalOutcome;
  detail?: string;
  actedAt?: Date;
}

/** Whether tonight looks wrong rather than busy for console passwords, and why. */
export interface ConsoleGuard {
  tripped: boolean;
  /** Console passwords due for removal tonight or given a first notice. */
  passwordsNeedingAction: number;
  /** Console passwords in the account (credential report, root excluded). */
  passwordsInAccount: number;
  /** Why the night looks wrong, in words; absent when it does not. */
  reason?: string;
}

/** What became of the console passwords, counted once for the digest, the summary table and the metrics. */
export interface ConsoleCounts {
  removed: number;
  /** Due for removal, not made: a dry run, or the guard tripped. */
  wouldRemove: number;
  warned: number;
  /** Of the warned: first notices, each telling a date ahead. */
  firstNotices: number;
  exempt: number;
  held: number;
  /** Removals the live re-check found not needed (used again, or gone). */
  notNeeded: number;
  failed: number;
  /** Due, left for a later night by the per-night limit. */
  waiting: number;
  withoutMfa: number;
  idle: number;
  /** Everything that failed in the run: removals, records, tags that could not be read. */
  failures: number;
}

/** What was told to one owner (a warning, a removal, an MFA reminder), or why not. */
export interface ConsoleMailResult {
  userName: string;
  address?: string;
  status: SendResult['status'] | 'unreachable';
  detail?: string;
  told: ('warning' | 'removed' | 'mfa-reminder')[];
}

export interface ConsoleAccessFailure {
  userName: string;
  step: string;
  error: string;
}

export interface ConsoleAccessSummary {
  dryRun: boolean;
  decidedAt: string;
  reportGeneratedAt: string;
  usersInReport: number;
  consoleUsers: number;
  decisions: Record<PasswordDecisionKind, number>;
  guard: ConsoleGuard;
  budget: ActionBacklog;
  /** What became of the console passwords: what every report of the run counts. */
  counts: ConsoleCounts;
  /** Every password decision but `none`, with its outcome (`reported` for warn, exempt, skip). */
  passwords: (PasswordDecision & { outcome: RemovalOutcome | 'reported'; detail?: string })[];
  mfa: MfaFinding[];
  idle: IdleUser[];
  failures: ConsoleAccessFailure[];
  notifications: {
    owners: ConsoleMailResult[];
    /** Why no owner was mailed tonight (a dry run, the guard), if so. */
    ownersNotMailed?: string;
    digest: SendResult;
  };
  audit: AuditPublishResult | { skipped: string };
}
