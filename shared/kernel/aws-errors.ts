import { IamAccountError, IamBusyError, IamEntityNotFoundError } from './errors.ts';

/** The error name the SDK gave an AWS error (its exception class or, for unmodelled errors, the wire code). */
export function awsErrorName(error: unknown): string | undefined {
  if (error instanceof Error) return error.name;
  return undefined;
}

/** A short, readable description of an error for summaries and logs: `Name: message`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}

// Every name AWS throttles under: IAM's query protocol (Throttling, LimitExceeded), the JSON protocols'
// ThrottlingException, SES v2's TooManyRequestsException and LimitExceededException.
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'LimitExceeded',
  'LimitExceededException',
  'TooManyRequestsException',
]);

/** AWS refused the call for its rate, not for its content: the same call may succeed later. */
export function isThrottlingError(error: unknown): boolean {
  return THROTTLING.has(awsErrorName(error) ?? '');
}

/** IAM says the user, key, group, policy or password policy does not exist. */
export function isNoSuchEntityError(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

// Another change to the same entity is in progress, or IAM is still settling one it just made (a user
// created a moment ago can be "temporarily unmodifiable"): the same call may succeed shortly.
const ENTITY_BUSY = new Set([
  'ConcurrentModificationException',
  'ConcurrentModification',
  'EntityTemporarilyUnmodifiableException',
  'EntityTemporarilyUnmodifiable',
]);

/** IAM refused because the entity is busy: another change in progress, or one just made still settling. */
export function isEntityBusyError(error: unknown): boolean {
  return ENTITY_BUSY.has(awsErrorName(error) ?? '');
}

/**
 * The one translation of an IAM SDK error into the service's IAM errors, used by every IAM adapter:
 * NoSuchEntity becomes `IamEntityNotFoundError`, throttling and a busy entity (concurrent modification,
 * temporarily unmodifiable) `IamBusyError`, anything else `IamAccountError`. The SDK error travels as
 * `cause`; `what` says what was being done.
 */
export function iamError(what: string, error: unknown): IamAccountError {
  if (isNoSuchEntityError(error)) {
    return new IamEntityNotFoundError(`${what}: not found (${describeError(error)})`, { cause: error });
  }
  const message = `${what}: ${describeError(error)}`;
  if (isThrottlingError(error) || isEntityBusyError(error)) {
    return new IamBusyError(message, { cause: error });
  }
  return new IamAccountError(message, { cause: error });
}

/**
 * Runs one IAM call and translates what it throws with `iamError`; an error already translated (an
 * `IamAccountError`, e.g. an answer found cut short) passes unchanged.
 */
export async function withIamErrors<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error: unknown) {
    if (error instanceof IamAccountError) throw error;
    throw iamError(what, error);
  }
}
