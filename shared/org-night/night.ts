import { NightStillRunningError } from './errors.ts';
import type { NightExecution, NightInput, StartNightRequest } from './types.ts';

const EXECUTION_PREFIX = 'night-';

/**
 * The night an instant belongs to: its calendar day in `timeZone` (the schedule's), `YYYY-MM-DD`. A night
 * scheduled at 03:00 Europe/Berlin is that Berlin date, whatever the UTC date. Pure.
 */
export function nightOf(instant: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** The execution a night's scheduled run is named after: `night-2026-11-30`. Pure. */
export const nightExecutionName = (night: string) => `${EXECUTION_PREFIX}${night}`;

/** The n-th re-run of a night: `night-2026-11-30-rerun-1`. Pure. */
export const rerunExecutionName = (night: string, n: number) => `${nightExecutionName(night)}-rerun-${n}`;

/** What to do about a start request, given the executions that exist. */
export type NightStartPlan =
  | { kind: 'start'; name: string; input: NightInput }
  | { kind: 'already-started'; execution: NightExecution };

/**
 * Decides whether and under which name to start a night. Pure.
 *
 * A scheduled night is named after the night, so a second delivery of the schedule (or Lambda's retry of
 * the starter) finds it and starts nothing. A re-run gets the next free `-rerun-<n>` name: two re-runs asked
 * for at once compute the same name, and Step Functions keeps one of them. Neither starts while another
 * execution runs, so two workers never work on one account at once.
 * @throws {NightStillRunningError} when another execution is running.
 */
export function planNightStart(
  request: StartNightRequest,
  executions: NightExecution[],
  night: string,
): NightStartPlan {
  const input: NightInput = { night, dryRun: request.dryRun };
  if (!request.rerun) {
    const existing = executions.find((execution) => execution.name === nightExecutionName(night));
    if (existing !== undefined) return { kind: 'already-started', execution: existing };
  }
  const running = executions.filter((execution) => execution.status === 'RUNNING');
  if (running.length > 0) {
    throw new NightStillRunningError(
      `Not starting ${request.rerun ? 'a re-run of' : 'the organization run for'} ${night}: ` +
        `${running.map((execution) => execution.name).join(', ')} is still running. ` +
        'Wait for it to end (or stop it), then start again.',
    );
  }
  if (!request.rerun) return { kind: 'start', name: nightExecutionName(night), input };
  const reruns = executions.filter((execution) =>
    execution.name.startsWith(`${nightExecutionName(night)}-rerun-`),
  ).length;
  return { kind: 'start', name: rerunExecutionName(night, reruns + 1), input };
}
