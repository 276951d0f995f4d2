import type { AuditPublishResult } from '../audit/index.ts';
import type { SendResult } from '../mail/index.ts';

export interface ConsoleAccessSettings {
  /** A console password unused this long (or never used this long after it was set) is removed; 0: off. */
  passwordUnusedDays: number;
  /** Days before removal at which the owner is warned, largest first (14, 7, 1). */
  passwordWarningNoticeDays: number[];
  /** Removals made in one night at most, most overdue first; the rest wait for the next night. */
  passwordRemovalsPerNight: number;
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
  /** When the password is (or was) due for removal. */
  removalDate?: Date;
  /** Warnings: the notice stage due tonight (14, 7, 1), if any is still unsent. */
  warningStage?: number;
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

export interface ConsoleAccessPlan {
  now: Date;
  settings: ConsoleAccessSettings;
  passwords: PasswordDecision[];
  mfa: MfaFinding[];
  idle: IdleUser[];
}

export type RemovalOutcome = 'done' | 'skipped' | 'failed' | 'dry-run' | 'held-by-guard' | 'deferred';

/** What became of one planned removal. */
export interface RemovalResult {
  decision: PasswordDecision;
  outcome: RemovalOutcome;
  detail?: string;
  actedAt?: Date;
}

export interface RemovalGuard {
  tripped: boolean;
  /** Removals due tonight. */
  due: number;
  limit: number;
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
  guard: RemovalGuard;
  /** Every password decision but `none`, with its outcome (`reported` for warn, exempt, skip). */
  passwords: (PasswordDecision & { outcome: RemovalOutcome | 'reported'; detail?: string })[];
  mfa: MfaFinding[];
  idle: IdleUser[];
  failures: ConsoleAccessFailure[];
  notifications: { owners: ConsoleMailResult[]; digest: SendResult | { status: 'skipped'; reason: string } };
  audit: AuditPublishResult | { skipped: string };
}
