import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ConsoleAccessSummary } from './types.ts';

/** Adds a run's counts to the service metrics; GuardTrips is the metric the guard-trips alarm watches. */
export function recordConsoleAccessMetrics(
  metrics: Pick<Metrics, 'addMetric'>,
  summary: ConsoleAccessSummary,
): void {
  const outcome = (name: string) => summary.passwords.filter((row) => row.outcome === name).length;
  metrics.addMetric('ConsolePasswordsRemoved', MetricUnit.Count, outcome('done'));
  metrics.addMetric('ConsolePasswordsWarned', MetricUnit.Count, summary.decisions.warn);
  metrics.addMetric('ConsoleRemovalsFailed', MetricUnit.Count, outcome('failed'));
  metrics.addMetric('ConsoleUsersWithoutMfa', MetricUnit.Count, summary.mfa.length);
  metrics.addMetric('GuardTrips', MetricUnit.Count, summary.guard.tripped ? 1 : 0);
}
