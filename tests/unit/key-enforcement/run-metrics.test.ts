import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../scripts/local-invoke.ts';
import { countOutcome } from '../../../shared/kernel/metrics.ts';
import { keyRunMetricValues } from '../../../shared/key-enforcement/run-metrics.ts';
import { countKeys } from '../../../shared/key-enforcement/summary.ts';
import type { KeyEnforcementSummary, KeySummaryRow } from '../../../shared/key-enforcement/types.ts';
import { CALM_NIGHT, WRONG_NIGHT } from '../../helpers/night.ts';

const row = (decision: KeySummaryRow['decision'], outcome: KeySummaryRow['outcome']): KeySummaryRow => ({
  userName: 'u',
  accessKeyId: 'AKIA',
  ageDays: 100,
  decision,
  reason: 'r',
  outcome,
});

const keys = [
  row('deactivate', 'done'),
  row('deactivate', 'skipped'),
  row('deactivate', 'waiting'),
  row('delete', 'done'),
  ...Array.from({ length: 4 }, () => row('warn', 'reported')),
];

const summary = {
  guard: CALM_NIGHT,
  decisions: { deactivate: 3, delete: 1, warn: 4, exempt: 0, hold: 0, none: 0 },
  outcomes: { done: 2, skipped: 1, failed: 0, 'dry-run': 0, 'held-by-guard': 0, waiting: 1, reported: 4 },
  counts: countKeys(keys, 0),
  keys,
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
    chat: {
      posted: 1,
      failed: [{ title: 'Critical finding', error: 'NotFoundException: Topic does not exist' }],
    },
    digest: { status: 'sent', messageId: 'm' },
  },
} as unknown as KeyEnforcementSummary;

describe('run metrics', () => {
  it('counts what was done, not what was planned', () => {
    expect(keyRunMetricValues(summary)).toEqual({
      KeysDeactivated: 1,
      KeysDeleted: 1,
      KeysWarned: 4,
      KeysSkipped: 1,
      KeyActionsFailed: 0,
      RunFailures: 0,
      KeysWaiting: 1,
      GuardTrips: 0,
      CriticalFindings: 1,
      OwnerMailFailed: 1,
      ChatPostFailed: 1,
    });
  });

  it('counts a guard trip', () => {
    expect(keyRunMetricValues({ ...summary, guard: WRONG_NIGHT }).GuardTrips).toBe(1);
  });

  it('adds every count as a Count metric when the handler counts its outcome with them', async () => {
    const addMetric = vi.fn();
    const handler = middy<unknown, KeyEnforcementSummary>()
      .use(countOutcome({ addMetric }, { onSuccess: keyRunMetricValues }))
      .handler(async () => summary);
    await handler({}, lambdaContext('enforceKeys') as Context);
    expect(addMetric).toHaveBeenCalledTimes(11);
    expect(addMetric).toHaveBeenCalledWith('KeysDeactivated', 'Count', 1);
  });
});
