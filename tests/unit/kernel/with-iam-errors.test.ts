import { NoSuchEntityException, ServiceFailureException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { withIamErrors } from '../../../shared/kernel/aws-errors.ts';
import { IamAccountError, IamBusyError, IamEntityNotFoundError } from '../../../shared/kernel/errors.ts';

describe('withIamErrors', () => {
  it.each([
    {
      case: 'NoSuchEntity',
      error: new NoSuchEntityException({ message: 'gone', $metadata: {} }),
      type: IamEntityNotFoundError,
    },
    {
      case: 'throttling',
      error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }),
      type: IamBusyError,
    },
    {
      case: 'a service failure',
      error: new ServiceFailureException({ message: 'boom', $metadata: {} }),
      type: IamAccountError,
    },
  ])('translates $case, naming the call and keeping the cause', async ({ error, type }) => {
    const failure = await withIamErrors('GetUser for alice', () => Promise.reject(error)).catch(
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(type);
    expect((failure as Error).message).toMatch(/^GetUser for alice: /);
    expect((failure as Error).cause).toBe(error);
  });

  it('lets an error already translated pass unchanged, and a result through', async () => {
    const translated = new IamAccountError('cut short');
    await expect(withIamErrors('x', () => Promise.reject(translated))).rejects.toBe(translated);
    await expect(withIamErrors('x', async () => 42)).resolves.toBe(42);
  });
});
