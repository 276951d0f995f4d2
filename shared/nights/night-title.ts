import { type AccountName, accountLabel } from '../kernel/index.ts';

/** How a night went, as every nightly digest's title frames it. */
export interface NightTitleFacts {
  dryRun: boolean;
  guardTripped: boolean;
  failures: number;
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
  const guard = facts.guardTripped ? 'GUARD TRIPPED, ' : '';
  const where = account === undefined ? '' : `, account ${accountLabel(account)}`;
  const failures = facts.failures > 0 ? `${facts.failures} failure${facts.failures === 1 ? '' : 's'}` : '';
  return `${prefix}${heading} ${day}${where}: ${guard}${[...parts, failures].filter(Boolean).join(', ')}`;
}
