import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KeyEnforcementSummary } from './types.ts';

/**
 * The counts of one run, by CloudWatch metric name: what the alarms and dashboards watch. They are the
 * summary's `counts`, which the digest and the summary table show too. Pure.
 */
export function runMetricValues(summary: KeyEnforcementSummary): Record<string, number> {
  const { counts } = summary;
  return {
    KeysDeactivated: counts.deactivated,
    KeysDeleted: counts.deleted,
    KeysWarned: counts.warned,
    KeysSkipped: counts.notNeeded,
    KeyActionsFailed: counts.failed,
    RunFailures: counts.failures,
    GuardTrips: summary.guard.tripped ? 1 : 0,
    OwnerMailFailed: summary.notifications.owners.filter((owner) => owner.status === 'failed').length,
  };
}

/** Adds the run's counts to the metrics flushed at the end of the invocation. */
export function recordRunMetrics(metrics: Pick<Metrics, 'addMetric'>, summary: KeyEnforcementSummary): void {
  for (const [name, value] of Object.entries(runMetricValues(summary))) {
    metrics.addMetric(name, MetricUnit.Count, value);
  }
}
