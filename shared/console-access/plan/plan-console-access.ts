import type { CredentialReportRow } from '../../credential-report/index.ts';
import { wholeDaysBetween } from '../../kernel/index.ts';
import { nightsApart } from '../../notices/index.ts';
import { NO_MFA_TAG, noMfaValue, readNoMfa } from '../console-records.ts';
import type {
  ConsoleAccessPlan,
  ConsoleAccessSettings,
  ConsoleRecordChange,
  IdleUser,
  MfaFinding,
  PasswordDecision,
} from '../types.ts';
import { hasConsolePassword } from './password-activity.ts';
import { schedulePasswords } from './password-schedule.ts';
import { planPassword } from './plan-passwords.ts';

export interface ConsoleAccessPlanInput {
  rows: CredentialReportRow[];
  /** Tags of the users selected for review; others are judged from the report alone. */
  tags: Map<string, Record<string, string>>;
  /** Users whose tags could not be read tonight: an exemption or a record may be among them. */
  unreadable?: Set<string>;
  settings: ConsoleAccessSettings;
  now: Date;
}

/**
 * Tonight's plan for console access, from the credential report, the reviewed users' tags, the settings and
 * the clock. Pure: one decision per console password, laid over the nights ahead within the per-night limit
 * (the records tonight's first notices need), the console users without MFA (whether a reminder is due;
 * the first night each is seen is recorded), and the idle users (listed, never removed). A user whose tags
 * could not be read is held, left out of the MFA list, and recorded nothing.
 */
export function planConsoleAccess(input: ConsoleAccessPlanInput): ConsoleAccessPlan {
  const { rows, settings, now } = input;
  const unreadable = input.unreadable ?? new Set<string>();
  const tagsOf = (userName: string) => input.tags.get(userName) ?? {};
  const consoleRows = rows.filter(hasConsolePassword);
  const judged = consoleRows.map((row) =>
    unreadable.has(row.user)
      ? held(planPassword(row, {}, settings, now))
      : planPassword(row, tagsOf(row.user), settings, now),
  );
  const schedule = schedulePasswords(judged, settings, now);
  const mfa = consoleRows
    .filter((row) => row.mfaActive === false && !unreadable.has(row.user))
    .map((row) => mfaFinding(row.user, tagsOf(row.user), settings, now));
  return {
    now,
    settings,
    passwords: schedule.passwords,
    budget: schedule.budget,
    records: byUser([...schedule.records, ...firstSeenWithoutMfa(mfa, input.tags, now)]),
    mfa,
    idle: rows.flatMap((row) => idleUser(row, settings, now) ?? []),
  };
}

/** A decision for a user whose tags could not be read: anything due is held. */
function held(decision: PasswordDecision): PasswordDecision {
  if (decision.decision === 'none') return decision;
  const skipped: PasswordDecision = {
    ...decision,
    decision: 'skip',
    reason: `its tags could not be read; held: ${decision.reason}`,
  };
  // Nothing is told or scheduled for it tonight.
  delete skipped.firstNotice;
  delete skipped.warningStage;
  return skipped;
}

/** The first night each console user is seen without MFA, so the digest can say for how long. */
function firstSeenWithoutMfa(
  mfa: MfaFinding[],
  tags: Map<string, Record<string, string>>,
  now: Date,
): ConsoleRecordChange[] {
  return mfa.flatMap((finding) => {
    const userTags = tags.get(finding.userName);
    if (userTags === undefined || readNoMfa(userTags) !== undefined) return [];
    return [
      {
        userName: finding.userName,
        set: { [NO_MFA_TAG]: noMfaValue({ since: now }) },
        reason: 'record the first night seen without MFA',
      },
    ];
  });
}

/** One change per user: one TagUser call each. */
function byUser(changes: ConsoleRecordChange[]): ConsoleRecordChange[] {
  const merged = new Map<string, ConsoleRecordChange>();
  for (const change of changes) {
    const existing = merged.get(change.userName);
    merged.set(
      change.userName,
      existing === undefined
        ? change
        : {
            userName: change.userName,
            set: { ...existing.set, ...change.set },
            reason: `${existing.reason}; ${change.reason}`,
          },
    );
  }
  return [...merged.values()];
}

/**
 * A console user without MFA: reminded right away when first seen, then every `mfaReminderDays` nights
 * (never nightly); the record keeps since when the service has seen the user without MFA.
 */
export function mfaFinding(
  userName: string,
  tags: Record<string, string>,
  settings: ConsoleAccessSettings,
  now: Date,
): MfaFinding {
  const record = readNoMfa(tags);
  const remindedAt = record?.remindedAt;
  const reminderDue =
    settings.mfaReminderDays > 0 &&
    (remindedAt === undefined || nightsApart(remindedAt, now, settings.mfaReminderDays));
  return {
    userName,
    withoutMfaSince: record?.since ?? now,
    reminderDue,
    ...(remindedAt === undefined ? {} : { lastReminded: remindedAt }),
  };
}

/**
 * A user with no console password, no active access key and no sign-in or key use for `userIdleDays`
 * (counted from the user's creation when there was none). `undefined` for anyone else. Pure.
 */
export function idleUser(
  row: CredentialReportRow,
  settings: ConsoleAccessSettings,
  now: Date,
): IdleUser | undefined {
  if (settings.userIdleDays === 0 || row.isRoot || row.passwordEnabled === true) return undefined;
  if (row.accessKeys.some((slot) => slot.active === true)) return undefined;
  const uses: { at: Date; source: IdleUser['lastActivitySource'] }[] = [];
  if (row.passwordLastUsed instanceof Date) uses.push({ at: row.passwordLastUsed, source: 'sign-in' });
  for (const slot of row.accessKeys) {
    if (slot.lastUsedDate instanceof Date) uses.push({ at: slot.lastUsedDate, source: 'access key' });
  }
  if (uses.length === 0 && row.userCreationTime instanceof Date) {
    uses.push({ at: row.userCreationTime, source: 'created' });
  }
  const last = uses.sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (last === undefined) return undefined;
  const idleDays = wholeDaysBetween(last.at, now);
  if (idleDays < settings.userIdleDays) return undefined;
  return { userName: row.user, lastActivity: last.at, lastActivitySource: last.source, idleDays };
}
