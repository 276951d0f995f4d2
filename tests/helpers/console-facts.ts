import { CONSOLE_ACCESS_DEFAULTS } from '../../shared/console-access/config.ts';
import type { ConsoleAccessSettings } from '../../shared/console-access/types.ts';
import { parseCredentialReport } from '../../shared/credential-report/parse-report.ts';
import type { CredentialReportColumn, CredentialReportRow } from '../../shared/credential-report/types.ts';
import { addDays } from '../../shared/kernel/time.ts';
import { reportCsv, reportTime } from './credential-report-csv.ts';

/** The decision clock of the console-access unit tests: a nightly run. */
export const NOW = new Date('2026-11-23T03:00:00Z');

export const SETTINGS: ConsoleAccessSettings = {
  passwordUnusedDays: CONSOLE_ACCESS_DEFAULTS.passwordUnusedDays,
  passwordWarningNoticeDays: [...CONSOLE_ACCESS_DEFAULTS.passwordWarningNoticeDays],
  passwordRemovalsPerNight: CONSOLE_ACCESS_DEFAULTS.passwordRemovalsPerNight,
  passwordFirstNoticeDays: CONSOLE_ACCESS_DEFAULTS.passwordFirstNoticeDays,
  mfaReminderDays: CONSOLE_ACCESS_DEFAULTS.mfaReminderDays,
  userIdleDays: CONSOLE_ACCESS_DEFAULTS.userIdleDays,
  exemptTag: CONSOLE_ACCESS_DEFAULTS.exemptTag,
};

export const daysAgo = (days: number, from: Date = NOW) => addDays(from, -days);

export interface ConsoleRowSpec {
  user?: string;
  /** Days ago the password was set; absent: no password. */
  setDaysAgo?: number;
  /** Days ago it was last used; absent: never (`no_information`). */
  usedDaysAgo?: number;
  mfa?: boolean;
  createdDaysAgo?: number;
  cells?: Partial<Record<CredentialReportColumn, string>>;
}

/** One credential-report row, parsed by the real parser from cells in AWS's format. */
export function consoleRow(spec: ConsoleRowSpec = {}): CredentialReportRow {
  const hasPassword = spec.setDaysAgo !== undefined;
  const [row] = parseCredentialReport(
    reportCsv([
      {
        user: spec.user ?? 'alice',
        user_creation_time: reportTime(daysAgo(spec.createdDaysAgo ?? 1000)),
        password_enabled: hasPassword ? 'true' : 'false',
        password_last_used: !hasPassword
          ? 'N/A'
          : spec.usedDaysAgo === undefined
            ? 'no_information'
            : reportTime(daysAgo(spec.usedDaysAgo)),
        password_last_changed: hasPassword ? reportTime(daysAgo(spec.setDaysAgo ?? 0)) : 'N/A',
        mfa_active: spec.mfa ? 'true' : 'false',
        ...spec.cells,
      },
    ]),
  ).rows;
  if (row === undefined) throw new Error('no row parsed');
  return row;
}
