import { isoDay } from '../kernel/index.ts';
import { textTable } from '../mail/index.ts';
import type { ConsoleAccessSummary } from './types.ts';

/** Renders a console-access run summary as plain text a person can read in a terminal. */
export function formatConsoleAccessTable(summary: ConsoleAccessSummary): string {
  const mode = summary.dryRun ? 'DRY RUN (nothing changed)' : 'enforced';
  const lines = [
    `console access ${mode}, decisions as of ${summary.decidedAt}`,
    `${summary.consoleUsers} of ${summary.usersInReport} users have a console password; decisions: ${Object.entries(
      summary.decisions,
    )
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}`,
  ];
  if (summary.guard.tripped) {
    lines.push(
      `GUARD TRIPPED: ${summary.guard.due} removals due, limit ${summary.guard.limit}: none were made`,
    );
  }
  lines.push('');
  if (summary.passwords.length === 0) lines.push('No console password needs attention.');
  else {
    lines.push(passwordTableText(summary.passwords));
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
  for (const failure of summary.failures)
    lines.push(`FAILED ${failure.userName} (${failure.step}): ${failure.error}`);
  return lines.join('\n');
}

/** The password decisions of a run as a plain-text table: user, decision, outcome, reason. */
export function passwordTableText(rows: ConsoleAccessSummary['passwords']): string {
  return textTable(
    ['USER', 'PASSWORD', 'OUTCOME', 'REASON'],
    rows.map((row) => [
      row.userName,
      row.decision,
      row.outcome,
      row.detail ? `${row.reason} [${row.detail}]` : row.reason,
    ]),
  );
}
