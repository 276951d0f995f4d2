import {
  GetAccountPasswordPolicyCommand,
  IAMClient,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readAccountPasswordPolicy } from '../../../shared/kernel/account-password-policy.ts';
import { IamAccountError, IamBusyError } from '../../../shared/kernel/errors.ts';
import { weakPolicy } from '../../helpers/password-policies.ts';

const iamMock = mockClient(IAMClient);
const iam = new IAMClient({ region: 'us-east-1' });
const read = () => readAccountPasswordPolicy(iam);

beforeEach(() => {
  iamMock.reset();
});

describe('readAccountPasswordPolicy', () => {
  it('maps every field IAM returns', async () => {
    iamMock.on(GetAccountPasswordPolicyCommand).resolves({
      PasswordPolicy: {
        MinimumPasswordLength: 16,
        RequireSymbols: true,
        RequireNumbers: false,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: false,
        AllowUsersToChangePassword: true,
        ExpirePasswords: true,
        MaxPasswordAge: 60,
        PasswordReusePrevention: 5,
        HardExpiry: true,
      },
    });

    expect(await read()).toEqual({
      minimumPasswordLength: 16,
      requireSymbols: true,
      requireNumbers: false,
      requireUppercaseCharacters: true,
      requireLowercaseCharacters: false,
      allowUsersToChangePassword: true,
      maxPasswordAge: 60,
      passwordReusePrevention: 5,
      hardExpiry: true,
    });
  });

  it.each([
    ['left out (IAM: passwords never expire)', {}, null],
    ['0 (moto: passwords never expire)', { MaxPasswordAge: 0 }, null],
  ])('reads a MaxPasswordAge %s as null', async (_, fields, expected) => {
    iamMock
      .on(GetAccountPasswordPolicyCommand)
      .resolves({ PasswordPolicy: { MinimumPasswordLength: 8, ExpirePasswords: false, ...fields } });

    expect((await read())?.maxPasswordAge).toBe(expected);
  });

  it('reads every field IAM leaves out as its IAM default: the weakest value', async () => {
    iamMock.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: {} });

    expect(await read()).toEqual(weakPolicy({ minimumPasswordLength: 6 }));
  });

  it.each([
    ['the modelled exception', new NoSuchEntityException({ message: 'no policy', $metadata: {} })],
    ['the wire code', Object.assign(new Error('no policy'), { name: 'NoSuchEntity' })],
  ])('returns undefined when the account has no policy (%s)', async (_, error) => {
    iamMock.on(GetAccountPasswordPolicyCommand).rejects(error);

    expect(await read()).toBeUndefined();
  });

  it.each([
    ['throttled', Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }), IamBusyError],
    ['failing', new ServiceFailureException({ message: 'IAM is down', $metadata: {} }), IamAccountError],
  ])('translates IAM %s into the kernel IAM error, the SDK error as cause', async (_, failure, type) => {
    iamMock.on(GetAccountPasswordPolicyCommand).rejects(failure);

    const error = await read().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(`GetAccountPasswordPolicy: ${failure.name}: ${failure.message}`);
    expect((error as Error).cause).toBe(failure);
  });

  it('refuses a response without a policy rather than guessing one', async () => {
    iamMock.on(GetAccountPasswordPolicyCommand).resolves({});

    await expect(read()).rejects.toThrow('GetAccountPasswordPolicy: IAM returned no PasswordPolicy');
  });
});
