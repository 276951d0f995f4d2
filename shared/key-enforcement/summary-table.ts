import { describeBudget } from './summary.ts';
import type { KeyEnforcementSummary, KeySummaryRow } from './types.ts';

const COLUMNS: { title: string; value: (row: KeySummaryRow) => string }[] = [
  { title: 'USER', value: (row) => row.userName },
  { title: 'KEY', value: (row) => row.accessKeyId },
  { title: 'AGE', value: (row) => `${row.ageDays}d` },
  { title: 'DECISION', value: (row) => row.decision },
  { title: 'OUTCOME', value: (row) => row.outcome },
  { title: 'REASON', value: (row) => (row.detail ? `${row.reason} [${row.detail}]` : row.reason) },
];

/** Renders a run summary as a plain-text report a person can read in a terminal. */
export function formatSummaryTable(summary: KeyEnforcementSummary): string {
  const lines: string[] = [];
  const mode = summary.dryRun ? 'DRY RUN (nothing changed)' : 'enforced';
  lines.push(`key-hygiene ${mode}, decisions as of ${summary.decidedAt}`);
  lines.push(
    `report of ${summary.reportGeneratedAt}: ${summary.usersInReport} users, ${summary.usersReviewed} looked at closely`,
  );
  const counts = Object.entries(summary.decisions)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  lines.push(`decisions: ${counts}`);
  lines.push(...describeBudget(summary.budget));
  if (summary.guard.tripped) {
    lines.push(`GUARD TRIPPED, no key was changed: ${summary.guard.reason}.`);
  }
  lines.push('');
  if (summary.keys.length === 0) {
    lines.push('No key needs attention.');
  } else {
    const cells = summary.keys.map((row) => COLUMNS.map((column) => column.value(row)));
    const widths = COLUMNS.map((column, index) =>
      Math.max(column.title.length, ...cells.map((row) => row[index]?.length ?? 0)),
    );
    const render = (values: string[]) =>
      values
        .map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index] ?? 0)))
        .join('  ');
    lines.push(render(COLUMNS.map((column) => column.title)));
    lines.push(render(widths.map((width) => '-'.repeat(width))));
    for (const row of cells) lines.push(render(row));
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
  lines.push('', ...notificationLines(summary));
  if ('failed' in summary.audit && summary.audit.failed.length > 0) {
    lines.push('', `${summary.audit.failed.length} audit event(s) could not be published`);
  }
  return lines.join('\n');
}

function notificationLines(summary: KeyEnforcementSummary): string[] {
  const { owners, ownersNotMailed, digest } = summary.notifications;
  const lines: string[] = [];
  if (ownersNotMailed !== undefined) {
    lines.push(`Owner mail: none sent (${ownersNotMailed}).`);
  } else {
    const sent = owners.filter((owner) => owner.status === 'sent').length;
    lines.push(`Owner mail: ${sent} of ${owners.length} owner(s) mailed.`);
    for (const owner of owners.filter((candidate) => candidate.status !== 'sent')) {
      lines.push(`  ${owner.userName}: ${owner.status}${owner.detail ? `: ${owner.detail}` : ''}`);
    }
  }
  const digestLine =
    digest.status === 'sent'
      ? 'sent'
      : digest.status === 'failed'
        ? `FAILED: ${digest.error}`
        : `not sent (${digest.reason})`;
  lines.push(`Security team digest: ${digestLine}.`);
  return lines;
}
