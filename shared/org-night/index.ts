// org-night: starts the organization state machine for a night, at most once per night. It imports only
// the kernel; the state machine itself (deploy/org-state-machine.cfn.cjs) runs the organization package.
export { loadOrgNightConfig, type OrgNightConfig } from './config.ts';
export { ExecutionsUnavailableError, NightStillRunningError, OrgNightError } from './errors.ts';
export { nightExecutionName, nightOf, planNightStart, rerunExecutionName } from './night.ts';
export { startNight } from './start-night.ts';
export { InvalidStartNightEventError, parseStartNightEvent } from './start-night-event.ts';
export { stepFunctionsExecutions } from './step-functions-executions.ts';
export type {
  NightExecution,
  NightExecutions,
  NightInput,
  StartNightRequest,
  StartNightResult,
} from './types.ts';
