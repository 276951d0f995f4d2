import type { ChatReport } from '../chat/index.ts';
import { readableDate } from '../kernel/index.ts';
import { cellText, countsLine, mailingLines, textTable } from '../mail/index.ts';
import { countItems, KEY_COLUMNS, keyCells } from './key-table.ts';
import { describeBudget } from './summary.ts';
import type { KeyEnforcementSummary } from './types.ts';

/**
 * Renders a run summary as a plain-text report a person can read in a terminal: the counts and the key
 * rows the digest shows, then records, findings, failures and who was told.
 */
export function formatSummaryTable(summary: KeyEnforcementSummary): string {
  const mode = summary.dryRun ? 'DRY RUN (nothing changed)' : 'enforced';
  const lines = [
    `key-hygiene ${mode}, decisions as of ${readableDate(new Date(summary.decidedAt))}`,
    `report of ${readableDate(new Date(summary.reportGeneratedAt))}: ${summary.usersInReport} users, ${summary.usersReviewed} looked at closely`,
    countsLine(countItems(summary)),
    ...describeBudget(summary.budget),
  ];
  if (summary.guard.tripped) {
    lines.push(`GUARD TRIPPED, no key was changed: ${summary.guard.reason}.`);
  }
  lines.push('');
  if (summary.keys.length === 0) {
    lines.push('No key needs attention.');
  } else {
    lines.push(
      textTable(
        KEY_COLUMNS.map((column) => column.toUpperCase()),
        summary.keys.map((row) => keyCells(row).map(cellText)),
      ),
    );
  }
  if (summary.recordChanges.length > 0) {
    lines.push('', 'Records kept in user tags:');
    for (const change of summary.recordChanges) {
      lines.push(
        `  ${change.userName}: ${change.reason} (${change.outcome}${change.detail ? `: ${change.detail}` : ''})`,
      );
    }
  }
  for (const finding of summary.findings) {
    lines.push('', `${finding.severity.toUpperCase()}: ${finding.subject}: ${finding.message}`);
  }
  if (summary.failures.length > 0) {
    lines.push('', `${summary.failures.length} failure(s):`);
    for (const failure of summary.failures) {
      const where = [failure.userName, failure.accessKeyId].filter(Boolean).join(' ');
      lines.push(`  ${where || '(run)'}: ${failure.step}: ${failure.error}`);
    }
  }
  lines.push('', ...mailingLines(summary.notifications), chatLine(summary.notifications.chat));
  if ('failed' in summary.audit && summary.audit.failed.length > 0) {
    lines.push('', `${summary.audit.failed.length} audit event(s) could not be published`);
  }
  return lines.join('\n');
}

function chatLine(chat: ChatReport): string {
  if (chat.skipped !== undefined) return `Chat: nothing posted (${chat.skipped}).`;
  const total = chat.posted + chat.failed.length;
  if (chat.failed.length === 0) return `Chat: ${chat.posted} message(s) posted.`;
  return `Chat: ${chat.failed.length} of ${total} message(s) FAILED: ${[...new Set(chat.failed.map((failure) => failure.error))].join('; ')}.`;
}
