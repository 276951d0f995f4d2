import { describe, expect, it } from 'vitest';
import { IamAccountError, IamBusyError } from '../../../shared/kernel/errors.ts';
import {
  AccountThrottledError,
  classifyFailure,
  MemberRoleUnavailableError,
} from '../../../shared/organization/index.ts';

const awsError = (name: string, message = 'refused') => Object.assign(new Error(message), { name });

describe('classifyFailure', () => {
  it.each([
    [
      'the member role could not be assumed',
      new MemberRoleUnavailableError('Could not assume ...'),
      'role-missing',
    ],
    ['STS kept throttling', new AccountThrottledError('111111111111', 'throttled'), 'throttled'],
    ['IAM stayed busy past the retries', new IamBusyError('List keys: Throttling'), 'throttled'],
    [
      'a report error caused by throttling',
      new Error('Could not generate the report', { cause: awsError('Throttling') }),
      'throttled',
    ],
    [
      'SES-style throttling deep in the chain',
      new Error('a', { cause: new Error('b', { cause: awsError('TooManyRequestsException') }) }),
      'throttled',
    ],
    [
      'the member role lacks a permission',
      new IamAccountError('Could not read the policy', { cause: awsError('AccessDenied') }),
      'access-denied',
    ],
    ['an SCP denies a JSON-protocol call', awsError('AccessDeniedException'), 'access-denied'],
    ['anything else', new Error('socket hang up'), 'error'],
    ['not even an Error', 'boom', 'error'],
  ])('%s: %s', (_case, error, kind) => {
    expect(classifyFailure(error).kind).toBe(kind);
  });

  it('says what was being done: the outermost message', () => {
    const error = new IamAccountError('Could not read the password policy', {
      cause: awsError('AccessDenied'),
    });

    expect(classifyFailure(error)).toEqual({
      kind: 'access-denied',
      message: 'IamAccountError: Could not read the password policy',
    });
  });

  it('ends on a cause cycle', () => {
    const error = new Error('loop');
    (error as { cause?: unknown }).cause = error;

    expect(classifyFailure(error).kind).toBe('error');
  });
});
