import type { CredentialReportRow } from '../../credential-report/index.ts';
import { addDays, DAY_MS } from '../../kernel/index.ts';
import type { ConsoleAccessSettings } from '../types.ts';
import { hasConsolePassword, passwordActivity } from './password-activity.ts';

/**
 * The console users whose tags (exemption, records) tonight's plan needs: those without MFA (their record
 * says since when and when last reminded) and those whose password is within the first warning (or the
 * first notice days) of its due date or past it. Everyone else is judged from the report alone. Pure.
 */
export function selectConsoleUsersForReview(
  rows: CredentialReportRow[],
  settings: ConsoleAccessSettings,
  now: Date,
): string[] {
  const window = Math.max(settings.passwordFirstNoticeDays, ...settings.passwordWarningNoticeDays) * DAY_MS;
  return rows
    .filter((row) => {
      if (!hasConsolePassword(row)) return false;
      if (row.mfaActive !== true) return true;
      if (settings.passwordUnusedDays === 0) return false;
      const activity = passwordActivity(row);
      if (activity === undefined) return false;
      const removalDate = addDays(activity.lastActivity, settings.passwordUnusedDays);
      return removalDate.getTime() - now.getTime() <= window;
    })
    .map((row) => row.user);
}
