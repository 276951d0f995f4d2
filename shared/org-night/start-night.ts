import { nightOf, planNightStart } from './night.ts';
import type { NightExecutions, StartNightRequest, StartNightResult } from './types.ts';

export interface StartNightDependencies {
  executions: NightExecutions;
  clock: () => Date;
}

export interface StartNightOptions {
  /** The IANA time zone the schedule is read in: it decides which date a night is. */
  timeZone: string;
  /** DRY_RUN of the stage: a request can make a run drier, never turn it off. */
  dryRun: boolean;
}

/**
 * Starts the organization state machine for one night, at most once: see `planNightStart`.
 * @throws {NightStillRunningError} when another execution is running (nothing started).
 * @throws {ExecutionsUnavailableError} when Step Functions cannot be asked.
 */
export async function startNight(
  deps: StartNightDependencies,
  request: StartNightRequest,
  options: StartNightOptions,
): Promise<StartNightResult> {
  const night = request.night ?? nightOf(request.scheduledTime ?? deps.clock(), options.timeZone);
  const dryRun = options.dryRun || request.dryRun;
  const plan = planNightStart({ ...request, dryRun }, await deps.executions.list(), night);
  if (plan.kind === 'already-started') {
    return {
      night,
      executionName: plan.execution.name,
      executionArn: plan.execution.arn,
      outcome: 'already-started',
      dryRun,
    };
  }
  const started = await deps.executions.start(plan.name, plan.input);
  return {
    night,
    executionName: plan.name,
    executionArn: started.arn,
    outcome: started.outcome === 'started' ? 'started' : 'already-started',
    dryRun,
  };
}
