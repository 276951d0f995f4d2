import { type AccountName, accountLabel } from '../kernel/index.ts';

/** What every nightly run's summary says of how the night went, as its digest's title frames it. */
export interface NightTitleFacts {
  dryRun: boolean;
  guard: { tripped: boolean };
  counts: { failures: number };
}

/**
 * `DRY RUN: Nightly report 2026-11-23, account 123456789012 (prod): GUARD TRIPPED, 4 deactivated, 1 failure`:
 * the one frame of every nightly digest's title (the heading, the day, the account, a dry run, a tripped
 * guard, the failures) around the capability's own counts. Empty parts are left out. Pure.
 */
export function nightTitle(
  heading: string,
  day: string,
  facts: NightTitleFacts,
  parts: string[],
  account?: AccountName,
): string {
  const prefix = facts.dryRun ? 'DRY RUN: ' : '';
  const guard = facts.guard.tripped ? 'GUARD TRIPPED, ' : '';
  const where = account === undefined ? '' : `, account ${accountLabel(account)}`;
  const { failures: count } = facts.counts;
  const failures = count > 0 ? `${count} failure${count === 1 ? '' : 's'}` : '';
  return `${prefix}${heading} ${day}${where}: ${guard}${[...parts, failures].filter(Boolean).join(', ')}`;
}
