/** Base class: tonight's organization run could not be started. */
export class OrgNightError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrgNightError';
  }
}

/**
 * Another organization run is still going: starting this one would put two workers on the same accounts
 * at once. Nothing was started; the scheduled start is retried by Lambda, a re-run can be asked for later.
 */
export class NightStillRunningError extends OrgNightError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NightStillRunningError';
  }
}

/** Step Functions refused to list or start executions (access, throttling past retries, a bad ARN). */
export class ExecutionsUnavailableError extends OrgNightError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExecutionsUnavailableError';
  }
}
