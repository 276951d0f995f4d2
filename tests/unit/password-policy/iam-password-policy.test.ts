import {
  GetAccountPasswordPolicyCommand,
  IAMClient,
  NoSuchEntityException,
  ServiceFailureException,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { IamAccountError } from '../../../shared/kernel/errors.ts';
import {
  PasswordPolicyReadError,
  PasswordPolicyUpdateError,
} from '../../../shared/password-policy/errors.ts';
import { iamPasswordPolicy } from '../../../shared/password-policy/iam-password-policy.ts';
import { baselinePolicy, weakPolicy } from '../../helpers/password-policies.ts';

const iamMock = mockClient(IAMClient);
const store = iamPasswordPolicy(new IAMClient({ region: 'us-east-1' }));

beforeEach(() => {
  iamMock.reset();
});

/** Runs `action` and returns what it threw; fails the test when it throws nothing. */
async function thrownBy(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error: unknown) {
    if (error instanceof Error) return error;
    throw error;
  }
  return expect.unreachable('expected an error');
}

describe('iamPasswordPolicy', () => {
  describe('read', () => {
    it('returns the account policy the kernel reads', async () => {
      iamMock.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { MinimumPasswordLength: 8 } });

      expect(await store.read()).toEqual(weakPolicy({ minimumPasswordLength: 8 }));
    });

    it('returns undefined when the account has no policy', async () => {
      iamMock
        .on(GetAccountPasswordPolicyCommand)
        .rejects(new NoSuchEntityException({ message: 'no policy', $metadata: {} }));

      expect(await store.read()).toBeUndefined();
    });

    it('translates any other failure into PasswordPolicyReadError, the IAM error as cause', async () => {
      const failure = new ServiceFailureException({ message: 'IAM is down', $metadata: {} });
      iamMock.on(GetAccountPasswordPolicyCommand).rejects(failure);

      const error = await thrownBy(() => store.read());
      expect(error).toBeInstanceOf(PasswordPolicyReadError);
      expect(error.message).toBe(
        'Reading the account password policy failed: GetAccountPasswordPolicy: ServiceFailureException: IAM is down',
      );
      expect(error.cause).toBeInstanceOf(IamAccountError);
      expect((error.cause as Error).cause).toBe(failure);
    });

    it('refuses a response without a policy rather than guessing one', async () => {
      iamMock.on(GetAccountPasswordPolicyCommand).resolves({});

      await expect(store.read()).rejects.toBeInstanceOf(PasswordPolicyReadError);
    });
  });

  describe('write', () => {
    it.each([
      ['the baseline', baselinePolicy()],
      [
        'a policy with every flag off',
        baselinePolicy({
          requireSymbols: false,
          requireNumbers: false,
          requireUppercaseCharacters: false,
          requireLowercaseCharacters: false,
          allowUsersToChangePassword: false,
          hardExpiry: false,
          minimumPasswordLength: 6,
          maxPasswordAge: 1,
          passwordReusePrevention: 1,
        }),
      ],
      ['a policy with hard expiry on', baselinePolicy({ hardExpiry: true, maxPasswordAge: 1095 })],
    ])('sends every field of %s in one UpdateAccountPasswordPolicy', async (_, policy) => {
      iamMock.on(UpdateAccountPasswordPolicyCommand).resolves({});

      await store.write(policy);

      const calls = iamMock.commandCalls(UpdateAccountPasswordPolicyCommand);
      expect(calls).toHaveLength(1);
      // Exactly these nine keys, false values included: a field left out would revert to IAM's default.
      expect(calls[0]?.args[0].input).toStrictEqual({
        MinimumPasswordLength: policy.minimumPasswordLength,
        RequireSymbols: policy.requireSymbols,
        RequireNumbers: policy.requireNumbers,
        RequireUppercaseCharacters: policy.requireUppercaseCharacters,
        RequireLowercaseCharacters: policy.requireLowercaseCharacters,
        AllowUsersToChangePassword: policy.allowUsersToChangePassword,
        MaxPasswordAge: policy.maxPasswordAge,
        PasswordReusePrevention: policy.passwordReusePrevention,
        HardExpiry: policy.hardExpiry,
      });
    });

    it('creates the policy with the same call when the account has none', async () => {
      iamMock
        .on(GetAccountPasswordPolicyCommand)
        .rejects(new NoSuchEntityException({ message: 'no policy', $metadata: {} }));
      iamMock.on(UpdateAccountPasswordPolicyCommand).resolves({});

      expect(await store.read()).toBeUndefined();
      await store.write(baselinePolicy());

      expect(iamMock.commandCalls(UpdateAccountPasswordPolicyCommand)).toHaveLength(1);
    });

    it('translates a failure into PasswordPolicyUpdateError with the SDK error as cause', async () => {
      const failure = Object.assign(new Error('Member must have value less than or equal to 128'), {
        name: 'ValidationError',
      });
      iamMock.on(UpdateAccountPasswordPolicyCommand).rejects(failure);

      const error = await thrownBy(() => store.write(baselinePolicy()));
      expect(error).toBeInstanceOf(PasswordPolicyUpdateError);
      expect(error.message).toContain('the account keeps its previous policy');
      expect(error.message).toContain('ValidationError: Member must have value less than or equal to 128');
      expect(error.cause).toBe(failure);
    });
  });
});
