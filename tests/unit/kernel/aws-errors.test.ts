import { describe, expect, it } from 'vitest';
import { iamError } from '../../../shared/kernel/aws-errors.ts';
import { IamAccountError, IamBusyError, IamEntityNotFoundError } from '../../../shared/kernel/errors.ts';

const sdkError = (name: string) => Object.assign(new Error('IAM said no'), { name });

describe('iamError', () => {
  it.each([
    ['NoSuchEntityException', IamEntityNotFoundError],
    ['NoSuchEntity', IamEntityNotFoundError],
    ['Throttling', IamBusyError],
    ['LimitExceeded', IamBusyError],
    ['ConcurrentModificationException', IamBusyError],
    ['ConcurrentModification', IamBusyError],
    ['EntityTemporarilyUnmodifiableException', IamBusyError],
    ['EntityTemporarilyUnmodifiable', IamBusyError],
    ['AccessDenied', IamAccountError],
    ['ServiceFailureException', IamAccountError],
  ])('translates %s into %O, saying what was done, the SDK error as cause', (name, type) => {
    const cause = sdkError(name);

    const error = iamError('DeleteUser jane.doe', cause);

    expect(error.constructor).toBe(type);
    expect(error.message).toBe(
      type === IamEntityNotFoundError
        ? `DeleteUser jane.doe: not found (${name}: IAM said no)`
        : `DeleteUser jane.doe: ${name}: IAM said no`,
    );
    expect(error.cause).toBe(cause);
  });
});
