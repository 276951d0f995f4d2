import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ConsoleAccessSummary } from './types.ts';

/** The counts of one console-access run, by CloudWatch metric name. Pure. GuardTrips feeds the guard alarm. */
export function consoleAccessMetricValues(summary: ConsoleAccessSummary): Record<string, number> {
  const outcome = (name: string) => summary.passwords.filter((row) => row.outcome === name).length;
  return {
    ConsolePasswordsRemoved: outcome('done'),
    ConsolePasswordsWarned: summary.decisions.warn,
    ConsoleRemovalsFailed: outcome('failed'),
    ConsoleUsersWithoutMfa: summary.mfa.length,
    GuardTrips: summary.guard.tripped ? 1 : 0,
  };
}

/** Adds the run's counts to the metrics flushed at the end of the invocation. */
export function recordConsoleAccessMetrics(
  metrics: Pick<Metrics, 'addMetric'>,
  summary: ConsoleAccessSummary,
): void {
  for (const [name, value] of Object.entries(consoleAccessMetricValues(summary))) {
    metrics.addMetric(name, MetricUnit.Count, value);
  }
}
