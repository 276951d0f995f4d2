import { isoDay } from '../kernel/index.ts';
import type { Cell, CountItem } from '../mail/index.ts';
import { OUTCOME_WORDS } from '../nights/index.ts';
import type { RunSummary } from './summary.ts';
import type { ConsoleAccessSummary, PasswordDecisionKind } from './types.ts';

type SummaryRow = ConsoleAccessSummary['passwords'][number];

/** How a decision reads in the digest and the summary table. */
const DECISION_LABEL: Record<PasswordDecisionKind, string> = {
  remove: 'remove',
  warn: 'warn',
  exempt: 'exempt',
  skip: 'held for review',
  none: 'nothing due',
};

/** The columns of a password table: the digest's sections and the summary table print these rows. */
export const PASSWORD_COLUMNS = ['User', 'Last activity', 'Removal', 'Decision', 'Outcome', 'Reason'];

/** One console password's row: the reason, and beneath it what went wrong or why it was not needed. */
export function passwordCells(row: SummaryRow): Cell[] {
  const outcome = OUTCOME_WORDS[row.outcome];
  return [
    { text: row.userName, nowrap: true },
    row.lastActivity ? { text: isoDay(row.lastActivity), note: row.activitySource ?? '' } : { text: '—' },
    { text: row.removalDate ? isoDay(row.removalDate) : '—', nowrap: true },
    { text: DECISION_LABEL[row.decision] },
    { text: outcome.text, tone: outcome.tone },
    { text: row.reason, ...(row.detail === undefined ? {} : { note: row.detail }) },
  ];
}

/** The columns of a table of passwords nothing is done to tonight (exempt, held): what and why. */
export const NOTED_COLUMNS = ['User', 'Last activity', 'Removal', 'Reason'];

/** A password nothing is done to tonight: its row without decision and outcome, which say nothing here. */
export function notedCells(row: SummaryRow): Cell[] {
  const [user, activity, removal, , , reason] = passwordCells(row);
  return [user, activity, removal, reason].filter((cell): cell is Cell => cell !== undefined);
}

/**
 * The run's counts in the order every report shows them. A dry run or a tripped guard removes nothing, so
 * it counts what a real run would have removed.
 */
export function consoleCountItems(summary: Pick<RunSummary, 'counts' | 'dryRun' | 'guard'>): CountItem[] {
  const { counts } = summary;
  const removals =
    summary.dryRun || summary.guard.tripped
      ? { label: 'Would remove', value: counts.wouldRemove }
      : { label: 'Removed', value: counts.removed };
  return [
    removals,
    { label: 'Warned', value: counts.warned },
    { label: 'Waiting', value: counts.waiting, tone: 'warning' },
    { label: 'Exempt', value: counts.exempt },
    { label: 'Held for review', value: counts.held, tone: 'warning' },
    { label: 'Not needed (live check)', value: counts.notNeeded },
    { label: 'Without MFA', value: counts.withoutMfa, tone: 'warning' },
    { label: 'Idle users', value: counts.idle },
    { label: 'Failures', value: counts.failures, tone: 'danger' },
  ];
}
