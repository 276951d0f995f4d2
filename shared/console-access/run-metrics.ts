import type { ConsoleAccessSummary } from './types.ts';

/**
 * The counts of one console-access run, by CloudWatch metric name: the summary's `counts`, which the digest
 * and the summary table show too. GuardTrips feeds the guard alarm. Pure.
 */
export function consoleAccessMetricValues(summary: ConsoleAccessSummary): Record<string, number> {
  const { counts } = summary;
  return {
    ConsolePasswordsRemoved: counts.removed,
    ConsolePasswordsWarned: counts.warned,
    ConsolePasswordsWaiting: counts.waiting,
    ConsoleRemovalsFailed: counts.failed,
    ConsoleUsersWithoutMfa: counts.withoutMfa,
    GuardTrips: summary.guard.tripped ? 1 : 0,
  };
}
