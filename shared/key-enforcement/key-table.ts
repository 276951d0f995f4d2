import type { Cell, CountItem, Tone } from '../mail/index.ts';
import { OUTCOME_WORDS } from '../nights/index.ts';
import type { KeyDecisionKind, KeyOutcome, KeySummaryRow, RunSummary } from './types.ts';

/** How a decision reads in the digest and the summary table. */
export const DECISION_LABEL: Record<KeyDecisionKind, string> = {
  deactivate: 'deactivate',
  delete: 'delete',
  warn: 'warn',
  exempt: 'exempt',
  hold: 'held for review',
  none: 'nothing due',
};

/** How an outcome reads, and the tone of its badge: the words of every capability (nights' `OUTCOME_WORDS`). */
export const OUTCOME_LABEL: Record<KeyOutcome, { text: string; tone: Tone }> = OUTCOME_WORDS;

/** The columns of a key table: the digest's key sections and the summary table print these rows. */
export const KEY_COLUMNS = ['User', 'Key', 'Age', 'Decision', 'Outcome', 'Reason'];

/** One key's row: the reason, and beneath it what went wrong or why the change was not needed. */
export function keyCells(row: KeySummaryRow): Cell[] {
  const outcome = OUTCOME_LABEL[row.outcome];
  return [
    { text: row.userName, nowrap: true },
    { text: row.accessKeyId, code: true },
    { text: `${row.ageDays}d` },
    { text: DECISION_LABEL[row.decision] },
    { text: outcome.text, tone: outcome.tone },
    { text: row.reason, ...(row.detail === undefined ? {} : { note: row.detail }) },
  ];
}

/**
 * The run's counts in the order every report shows them. A dry run or a tripped guard changes nothing,
 * so it counts what a real run would have deactivated and deleted.
 */
export function countItems(summary: Pick<RunSummary, 'counts' | 'dryRun' | 'guard'>): CountItem[] {
  const { counts } = summary;
  const changes =
    summary.dryRun || summary.guard.tripped
      ? [
          { label: 'Would deactivate', value: counts.wouldDeactivate },
          { label: 'Would delete', value: counts.wouldDelete },
        ]
      : [
          { label: 'Deactivated', value: counts.deactivated },
          { label: 'Deleted', value: counts.deleted },
        ];
  return [
    ...changes,
    { label: 'Warned', value: counts.warned },
    { label: 'Exempt', value: counts.exempt },
    { label: 'Held for review', value: counts.heldForReview, tone: 'warning' },
    { label: 'Not needed (live check)', value: counts.notNeeded },
    { label: 'Failures', value: counts.failures, tone: 'danger' },
  ];
}
