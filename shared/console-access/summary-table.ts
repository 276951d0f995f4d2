import { isoDay, readableDate } from '../kernel/index.ts';
import { cellText, countsLine, mailingLines, textTable } from '../mail/index.ts';
import { consoleCountItems, PASSWORD_COLUMNS, passwordCells } from './password-table.ts';
import { describeRemovalBudget } from './summary.ts';
import type { ConsoleAccessSummary } from './types.ts';

/**
 * Renders a console-access run summary as plain text a person can read in a terminal: the counts and the
 * password rows the digest shows, then users without MFA, idle users, failures and who was told.
 */
export function formatConsoleAccessTable(summary: ConsoleAccessSummary): string {
  const mode = summary.dryRun ? 'DRY RUN (nothing changed)' : 'enforced';
  const lines = [
    `console access ${mode}, decisions as of ${readableDate(new Date(summary.decidedAt))}`,
    `report of ${readableDate(new Date(summary.reportGeneratedAt))}: ${summary.usersInReport} users, ${summary.consoleUsers} with a console password`,
    countsLine(consoleCountItems(summary)),
    describeRemovalBudget(summary),
  ];
  if (summary.guard.tripped) {
    lines.push(`GUARD TRIPPED, no password was removed: ${summary.guard.reason}.`);
  }
  lines.push('');
  if (summary.passwords.length === 0) lines.push('No console password needs attention.');
  else {
    lines.push(
      textTable(
        PASSWORD_COLUMNS.map((column) => column.toUpperCase()),
        summary.passwords.map((row) => passwordCells(row).map(cellText)),
      ),
    );
  }
  if (summary.mfa.length > 0) {
    lines.push('', 'Console users without MFA:');
    for (const finding of summary.mfa) {
      const reminder = finding.reminderDue
        ? 'reminder due tonight'
        : `last reminded ${isoDay(finding.lastReminded ?? finding.withoutMfaSince)}`;
      lines.push(
        `  ${finding.userName}: seen without MFA since ${isoDay(finding.withoutMfaSince)}; ${reminder}`,
      );
    }
  }
  if (summary.idle.length > 0) {
    lines.push('', 'Idle users (candidates for removal; never removed automatically):');
    for (const user of summary.idle) {
      lines.push(
        `  ${user.userName}: ${user.idleDays} days idle, last ${user.lastActivitySource} ${isoDay(user.lastActivity)}`,
      );
    }
  }
  if (summary.failures.length > 0) {
    lines.push('', `${summary.failures.length} failure(s):`);
    for (const failure of summary.failures) {
      lines.push(`  ${failure.userName}: ${failure.step}: ${failure.error}`);
    }
  }
  lines.push('', ...mailingLines(summary.notifications));
  return lines.join('\n');
}
