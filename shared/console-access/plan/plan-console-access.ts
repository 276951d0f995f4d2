import type { CredentialReportRow } from '../../credential-report/index.ts';
import { wholeDaysBetween } from '../../kernel/index.ts';
import { nightsApart } from '../../notices/index.ts';
import { readNoMfa } from '../console-records.ts';
import type { ConsoleAccessPlan, ConsoleAccessSettings, IdleUser, MfaFinding } from '../types.ts';
import { hasConsolePassword } from './password-activity.ts';
import { planPassword } from './plan-passwords.ts';

export interface ConsoleAccessPlanInput {
  rows: CredentialReportRow[];
  /** Tags of the users selected for review; others are judged from the report alone. */
  tags: Map<string, Record<string, string>>;
  settings: ConsoleAccessSettings;
  now: Date;
}

/**
 * Tonight's plan for console access, from the credential report, the reviewed users' tags, the settings and
 * the clock. Pure: one decision per console password, the console users without MFA (and whether a
 * reminder is due), and the idle users (listed, never removed).
 */
export function planConsoleAccess(input: ConsoleAccessPlanInput): ConsoleAccessPlan {
  const { rows, settings, now } = input;
  const tagsOf = (userName: string) => input.tags.get(userName) ?? {};
  const consoleRows = rows.filter(hasConsolePassword);
  return {
    now,
    settings,
    passwords: consoleRows.map((row) => planPassword(row, tagsOf(row.user), settings, now)),
    mfa: consoleRows
      .filter((row) => row.mfaActive === false)
      .map((row) => mfaFinding(row.user, tagsOf(row.user), settings, now)),
    idle: rows.flatMap((row) => idleUser(row, settings, now) ?? []),
  };
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
