import { countKeys } from '../../shared/key-enforcement/summary.ts';
import type { KeySummaryRow, RunSummary } from '../../shared/key-enforcement/types.ts';
import { NOW } from './key-facts.ts';
import { CALM_NIGHT, nightBudget } from './night.ts';

/** One key of a run summary: bob's overdue key, deactivated tonight, unless overridden. */
export const summaryRow = (overrides: Partial<KeySummaryRow> = {}): KeySummaryRow => ({
  userName: 'bob',
  accessKeyId: 'AKIABOB0000000000001',
  ageDays: 120,
  decision: 'deactivate',
  reason: 'active key 120 days old, limit 90: deactivate',
  outcome: 'done',
  ...overrides,
});

/** nina's key, warned tonight of its deactivation on 2026-12-03. */
export const warnedRow = summaryRow({
  userName: 'nina',
  accessKeyId: 'AKIANINA000000000001',
  decision: 'warn',
  outcome: 'reported',
  deactivationDate: '2026-12-03T03:00:00.000Z',
});

/**
 * A run summary of a calm night at NOW: bob's key deactivated and nina's warned, unless overridden; the
 * counts made from the keys and failures as the run makes them.
 */
export function runSummary(overrides: Partial<Omit<RunSummary, 'counts'>> = {}): RunSummary {
  const summary: Omit<RunSummary, 'counts'> = {
    dryRun: false,
    decidedAt: NOW.toISOString(),
    reportGeneratedAt: NOW.toISOString(),
    usersInReport: 6,
    usersReviewed: 3,
    guard: CALM_NIGHT,
    budget: nightBudget({ due: 1, tonight: 1 }),
    decisions: { deactivate: 1, delete: 0, warn: 1, exempt: 0, hold: 0, none: 0 },
    outcomes: { done: 1, skipped: 0, failed: 0, 'dry-run': 0, 'held-by-guard': 0, waiting: 0, reported: 1 },
    keys: [summaryRow(), warnedRow],
    recordChanges: [],
    findings: [],
    failures: [],
    ...overrides,
  };
  return { ...summary, counts: countKeys(summary.keys, summary.failures.length) };
}
