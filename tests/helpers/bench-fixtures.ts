import type { RunMeasurement } from '../../scripts/bench/measure-in-child.ts';
import type { ParsePlanTiming } from '../../scripts/bench/parse-plan-timing.ts';
import type { AccountRun } from '../../scripts/bench/run-bench.ts';

// Measurements as the bench records them, for the unit tests of what it derives from them.

/** A handler run that made `totalRequests` requests and did what `outcome` says (one key by default). */
export function handlerRun(
  totalRequests: number,
  outcome: Partial<Record<string, number | boolean>> = {},
): RunMeasurement {
  return {
    kind: 'handler',
    wallMs: 2_000,
    reportWaitMs: 1_000,
    memory: { rssBeforeMib: 100, peakRssMib: 150, heapBeforeMib: 20, peakHeapMib: 60 },
    requests: [
      { service: 'iam', action: 'GetCredentialReport', count: totalRequests, errors: 0, totalMs: 1 },
    ],
    totalRequests,
    failedRequests: 0,
    emulatorMs: 100,
    outcome: {
      kind: 'handler',
      usersInReport: 100,
      usersReviewed: 1,
      deactivated: 1,
      done: 1,
      failures: 0,
      guardTripped: false,
      ...outcome,
    },
  };
}

/** A naive run over 100 users and keys, one deactivated unless `outcome` says otherwise. */
export function naiveRun(
  totalRequests: number,
  outcome: Partial<Record<string, number>> = {},
): RunMeasurement {
  return {
    ...handlerRun(totalRequests),
    kind: 'naive',
    reportWaitMs: 0,
    outcome: { kind: 'naive', users: 100, keys: 100, deactivated: 1, ...outcome },
  };
}

export function accountRun(users: number, dueKeys: number, runs: AccountRun['runs']): AccountRun {
  return { users, keys: users, duePercent: (dueKeys / users) * 100, dueKeys, runs };
}

const timing = (medianMs: number, p95Ms: number) => ({
  samples: 50,
  min: medianMs,
  median: medianMs,
  p95: p95Ms,
  max: p95Ms,
  mean: medianMs,
});

/** Parse + plan of a 5,000-user report taking `medianMs` (median) and `p95Ms`. */
export function parsePlan(medianMs: number, p95Ms: number): ParsePlanTiming {
  return {
    users: 5000,
    reportBytes: 1_000_000,
    flagged: 50,
    deactivations: 50,
    iterations: 50,
    parseMs: timing(medianMs, p95Ms),
    csvLibraryMs: timing(medianMs / 2, p95Ms / 2),
    selectMs: timing(1, 1),
    planMs: timing(1, 1),
    totalMs: timing(medianMs, p95Ms),
  };
}
