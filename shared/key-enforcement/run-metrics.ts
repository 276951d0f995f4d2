import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KeyEnforcementSummary } from './types.ts';

/** The counts of one run, by CloudWatch metric name: what the alarms and dashboards watch. Pure. */
export function runMetricValues(summary: KeyEnforcementSummary): Record<string, number> {
  const done = (decision: string) =>
    summary.keys.filter((row) => row.decision === decision && row.outcome === 'done').length;
  return {
    KeysDeactivated: done('deactivate'),
    KeysDeleted: done('delete'),
    KeysWarned: summary.decisions.warn,
    KeysSkipped: summary.outcomes.skipped,
    KeyActionsFailed: summary.outcomes.failed,
    RunFailures: summary.failures.length,
    GuardTrips: summary.guard.tripped ? 1 : 0,
    // A root access key, a key re-activated after this service deactivated it: someone should look.
    CriticalFindings: summary.findings.filter((finding) => finding.severity === 'critical').length,
    OwnerMailFailed: summary.notifications.owners.filter((owner) => owner.status === 'failed').length,
  };
}

/** Adds the run's counts to the metrics flushed at the end of the invocation. */
export function recordRunMetrics(metrics: Pick<Metrics, 'addMetric'>, summary: KeyEnforcementSummary): void {
  for (const [name, value] of Object.entries(runMetricValues(summary))) {
    metrics.addMetric(name, MetricUnit.Count, value);
  }
}
