/** A setting in the environment is missing its form or out of range; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** The invocation event is malformed; nothing was done. */
export class InvalidEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

// The IAM errors every IAM adapter translates SDK errors into (see `iamError` in aws-errors.ts), here so
// that importing them does not pull one function's adapter (and its declared IAM actions) into another's.

/** Base class: an IAM call about a user, group, key or policy failed. */
export class IamAccountError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamAccountError';
  }
}

/** The user, group, key or policy does not exist (or no longer: deleted since the report or the plan). */
export class IamEntityNotFoundError extends IamAccountError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamEntityNotFoundError';
  }
}

/**
 * IAM stayed busy past the SDK's retries: throttled, or another change to the same entity in progress
 * (ConcurrentModification). Worth trying again later; nothing about the request itself was wrong.
 */
export class IamBusyError extends IamAccountError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamBusyError';
  }
}
