import { IAMClient, ListAccountAliasesCommand, ServiceFailureException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invocationAccount } from '../../../shared/kernel/account-alias.ts';

const iamMock = mockClient(IAMClient);
afterEach(() => {
  iamMock.reset();
});

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:key-hygiene-prod-enforceConsoleAccess';

describe('invocationAccount', () => {
  it('names the account the function runs in: its id from the ARN, and its alias', async () => {
    iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['payments-prod'] });
    const log = { warn: vi.fn() };
    expect(await invocationAccount(new IAMClient({}), { invokedFunctionArn: ARN }, log)).toEqual({
      account: { accountId: '123456789012', alias: 'payments-prod' },
    });
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('names it by its id alone, with a warning, when the alias cannot be read', async () => {
    iamMock
      .on(ListAccountAliasesCommand)
      .rejects(new ServiceFailureException({ message: 'boom', $metadata: {} }));
    const log = { warn: vi.fn() };
    expect(await invocationAccount(new IAMClient({}), { invokedFunctionArn: ARN }, log)).toEqual({
      account: { accountId: '123456789012' },
    });
    expect(log.warn).toHaveBeenCalledTimes(1);
  });

  it('names none, and asks IAM nothing, under invoke local (no ARN)', async () => {
    const log = { warn: vi.fn() };
    expect(await invocationAccount(new IAMClient({}), {}, log)).toEqual({});
    expect(iamMock.calls()).toHaveLength(0);
  });
});
