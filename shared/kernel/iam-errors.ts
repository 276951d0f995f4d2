// The IAM errors every IAM adapter translates SDK errors into, in their own module so that importing them
// does not pull one function's adapter (and its declared IAM actions) into another function's bundle.

/** Base class: an IAM call about a user or key failed. */
export class IamAccountError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamAccountError';
  }
}

/** The user or key no longer exists (deleted since the report or the plan). */
export class IamEntityNotFoundError extends IamAccountError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamEntityNotFoundError';
  }
}
