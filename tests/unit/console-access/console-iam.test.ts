import {
  DeleteLoginProfileCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListUserTagsCommand,
  NoSuchEntityException,
  ServiceFailureException,
  TagUserCommand,
  UntagUserCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { consoleAccount } from '../../../shared/console-access/console-iam.ts';
import { IamAccountError, IamBusyError, IamEntityNotFoundError } from '../../../shared/kernel/errors.ts';

const iamMock = mockClient(IAMClient);
const account = consoleAccount(new IAMClient({ region: 'us-east-1', maxAttempts: 1 }));
const noSuchEntity = () => new NoSuchEntityException({ message: 'not found', $metadata: {} });
const USED = new Date('2026-11-01T10:00:00Z');

beforeEach(() => iamMock.reset());

describe('consoleAccount', () => {
  it('reads whether a user has a console password: a missing login profile is a plain no', async () => {
    iamMock.on(GetLoginProfileCommand, { UserName: 'alice' }).resolves({
      LoginProfile: { UserName: 'alice', CreateDate: USED, PasswordResetRequired: false },
    });
    iamMock.on(GetLoginProfileCommand, { UserName: 'bob' }).rejects(noSuchEntity());
    expect(await account.hasLoginProfile('alice')).toBe(true);
    expect(await account.hasLoginProfile('bob')).toBe(false);
  });

  it('refuses an answer without the login profile IAM always sends', async () => {
    iamMock.on(GetLoginProfileCommand).resolves({});
    await expect(account.hasLoginProfile('alice')).rejects.toThrow(IamAccountError);
  });

  it('reads the last sign-in live, undefined when none is known', async () => {
    iamMock.on(GetUserCommand, { UserName: 'alice' }).resolves({
      User: {
        UserName: 'alice',
        UserId: 'x',
        Arn: 'arn',
        Path: '/',
        CreateDate: USED,
        PasswordLastUsed: USED,
      },
    });
    iamMock.on(GetUserCommand, { UserName: 'bob' }).resolves({
      User: { UserName: 'bob', UserId: 'y', Arn: 'arn', Path: '/', CreateDate: USED },
    });
    expect(await account.passwordLastUsed('alice')).toEqual(USED);
    expect(await account.passwordLastUsed('bob')).toBeUndefined();
  });

  it.each([
    { case: 'a missing user', error: noSuchEntity(), type: IamEntityNotFoundError },
    { case: 'a cut-short answer', answer: {}, type: IamAccountError },
    {
      case: 'a service failure',
      error: new ServiceFailureException({ message: 'boom', $metadata: {} }),
      type: IamAccountError,
    },
  ])('translates $case on GetUser into a domain error', async ({ error, answer, type }) => {
    if (error) iamMock.on(GetUserCommand).rejects(error);
    else iamMock.on(GetUserCommand).resolves(answer ?? {});
    await expect(account.passwordLastUsed('alice')).rejects.toThrow(type);
  });

  it('translates throttling into IamBusyError', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: {} });
    iamMock.on(DeleteLoginProfileCommand).rejects(throttled);
    await expect(account.deleteLoginProfile('alice')).rejects.toThrow(IamBusyError);
  });

  it('removes the login profile of the user named', async () => {
    iamMock.on(DeleteLoginProfileCommand).resolves({});
    await account.deleteLoginProfile('alice');
    expect(iamMock.commandCalls(DeleteLoginProfileCommand)[0]?.args[0].input).toEqual({ UserName: 'alice' });
  });

  it('reads tags, refusing a page without its tag list', async () => {
    iamMock
      .on(ListUserTagsCommand, { UserName: 'alice' })
      .resolves({ Tags: [{ Key: 'email', Value: 'a@x.com' }] });
    iamMock.on(ListUserTagsCommand, { UserName: 'bob' }).resolves({});
    expect(await account.listUserTags('alice')).toEqual({ email: 'a@x.com' });
    await expect(account.listUserTags('bob')).rejects.toThrow(/no Tags, which IAM always sends/);
  });

  it('writes and removes records as tags', async () => {
    iamMock.on(TagUserCommand).resolves({});
    iamMock.on(UntagUserCommand).resolves({});
    await account.tagUser('alice', { 'key-hygiene:no-mfa': 'since x' });
    await account.untagUser('alice', ['key-hygiene:no-mfa']);
    expect(iamMock.commandCalls(TagUserCommand)[0]?.args[0].input).toEqual({
      UserName: 'alice',
      Tags: [{ Key: 'key-hygiene:no-mfa', Value: 'since x' }],
    });
    expect(iamMock.commandCalls(UntagUserCommand)[0]?.args[0].input).toEqual({
      UserName: 'alice',
      TagKeys: ['key-hygiene:no-mfa'],
    });
  });
});
