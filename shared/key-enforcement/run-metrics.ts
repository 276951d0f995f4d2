import type { KeyEnforcementSummary } from './types.ts';

/**
 * The counts of one run, by CloudWatch metric name: what the alarms and dashboards watch. They are the
 * summary's `counts`, which the digest and the summary table show too. Pure.
 */
export function keyRunMetricValues(summary: KeyEnforcementSummary): Record<string, number> {
  const { counts } = summary;
  return {
    KeysDeactivated: counts.deactivated,
    KeysDeleted: counts.deleted,
    KeysWarned: counts.warned,
    KeysSkipped: counts.notNeeded,
    KeyActionsFailed: counts.failed,
    RunFailures: counts.failures,
    KeysWaiting: counts.waiting,
    GuardTrips: summary.guard.tripped ? 1 : 0,
    // A root access key, a key re-activated after this service deactivated it: someone should look.
    CriticalFindings: summary.findings.filter((finding) => finding.severity === 'critical').length,
    OwnerMailFailed: summary.notifications.owners.filter((owner) => owner.status === 'failed').length,
    // Chat never fails a run: this is how anyone learns it went quiet.
    ChatPostFailed: summary.notifications.chat.failed.length,
  };
}
