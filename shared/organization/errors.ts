// The organization run's errors. SDK errors from Organizations and STS are translated into these at the
// adapter that caught them; the SDK error travels as `cause`.

/** Base class: listing the organization or reaching one of its accounts failed. */
export class OrganizationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrganizationError';
  }
}

/** The organization's accounts could not be listed: no account was touched. */
export class AccountListingError extends OrganizationError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AccountListingError';
  }
}

/**
 * The member role could not be assumed in an account: AWS answers AccessDenied alike whether the role is
 * missing (the StackSet has not reached the account) or does not trust this service's worker.
 */
export class MemberRoleUnavailableError extends OrganizationError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MemberRoleUnavailableError';
  }
}

/**
 * AWS kept throttling an account's run past the SDK's retries. Thrown (never returned) by the worker so
 * that the state machine's Retry, which matches this name, runs the account again later.
 */
export class AccountThrottledError extends OrganizationError {
  readonly accountId: string;

  constructor(accountId: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AccountThrottledError';
    this.accountId = accountId;
  }
}

/** The results of a run could not be stored or read back (S3). */
export class RunResultsError extends OrganizationError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RunResultsError';
  }
}

/** An organization handler's event is malformed; nothing was done. */
export class InvalidOrganizationEventError extends OrganizationError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidOrganizationEventError';
  }
}
