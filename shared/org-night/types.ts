/** What the state machine starts with: the night it works for, and whether it may change anything. */
export interface NightInput {
  night: string;
  dryRun: boolean;
}

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

/** One execution of the organization state machine, as Step Functions lists it. */
export interface NightExecution {
  name: string;
  arn: string;
  status: ExecutionStatus;
}

/** The organization state machine's executions: the port the starter works through. */
export interface NightExecutions {
  /** Every execution Step Functions still lists (it keeps closed ones for 90 days). */
  list(): Promise<NightExecution[]>;
  /**
   * Starts an execution of this name. `exists` when Step Functions already has one of that name: names
   * are unique per state machine, which is what makes a night start at most once.
   */
  start(name: string, input: NightInput): Promise<{ arn: string; outcome: 'started' | 'exists' }>;
}

/** A request to start an organization run: from the schedule (`{ scheduledTime }`) or by hand. */
export interface StartNightRequest {
  /** The night to run; by default the night of `scheduledTime` (or of now) in the schedule's time zone. */
  night?: string;
  /** When the schedule meant to start it: a retried delivery hours later still belongs to that night. */
  scheduledTime?: Date;
  /** Run the night again (a new execution, `<night>-rerun-<n>`), as a person asks after fixing a failure. */
  rerun: boolean;
  dryRun: boolean;
}

/** What the starter did: started the night's execution, or found it already started. */
export interface StartNightResult {
  night: string;
  executionName: string;
  executionArn: string;
  outcome: 'started' | 'already-started';
  dryRun: boolean;
}
