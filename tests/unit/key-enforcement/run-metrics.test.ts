import { describe, expect, it, vi } from 'vitest';
import { recordRunMetrics, runMetricValues } from '../../../shared/key-enforcement/run-metrics.ts';
import type { KeyEnforcementSummary, KeySummaryRow } from '../../../shared/key-enforcement/types.ts';

const row = (decision: KeySummaryRow['decision'], outcome: KeySummaryRow['outcome']): KeySummaryRow => ({
  userName: 'u',
  accessKeyId: 'AKIA',
  ageDays: 100,
  decision,
  reason: 'r',
  outcome,
});

const summary = {
  guard: { limit: 50, planned: 3, tripped: false },
  decisions: { deactivate: 2, delete: 1, warn: 4, exempt: 0, skip: 0, none: 0 },
  outcomes: { done: 2, skipped: 1, failed: 0, 'dry-run': 0, 'held-by-guard': 0, reported: 4 },
  keys: [row('deactivate', 'done'), row('deactivate', 'skipped'), row('delete', 'done')],
  failures: [],
  findings: [
    { severity: 'critical', subject: 'mallory', message: 'access key re-activated' },
    { severity: 'warning', subject: 'eve', message: 'unreadable exemption' },
  ],
  notifications: {
    owners: [
      { userName: 'a', status: 'sent', keys: [] },
      { userName: 'b', status: 'failed', keys: [] },
    ],
    digest: { status: 'sent', messageId: 'm' },
  },
} as unknown as KeyEnforcementSummary;

describe('run metrics', () => {
  it('counts what was done, not what was planned', () => {
    expect(runMetricValues(summary)).toEqual({
      KeysDeactivated: 1,
      KeysDeleted: 1,
      KeysWarned: 4,
      KeysSkipped: 1,
      KeyActionsFailed: 0,
      RunFailures: 0,
      GuardTrips: 0,
      CriticalFindings: 1,
      OwnerMailFailed: 1,
    });
  });

  it('counts a guard trip', () => {
    expect(runMetricValues({ ...summary, guard: { limit: 1, planned: 3, tripped: true } }).GuardTrips).toBe(
      1,
    );
  });

  it('adds every count as a Count metric', () => {
    const addMetric = vi.fn();
    recordRunMetrics({ addMetric }, summary);
    expect(addMetric).toHaveBeenCalledTimes(9);
    expect(addMetric).toHaveBeenCalledWith('KeysDeactivated', 'Count', 1);
  });
});
