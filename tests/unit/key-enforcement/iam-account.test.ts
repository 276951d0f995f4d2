import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  ServiceFailureException,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { IamAccountError, IamEntityNotFoundError } from '../../../shared/kernel/errors.ts';
import { type IamAccount, iamAccount } from '../../../shared/key-enforcement/iam-account.ts';

const iamMock = mockClient(IAMClient);
const account = iamAccount(new IAMClient({ region: 'us-east-1' }));

const CREATED_1 = new Date('2025-01-01T00:00:00Z');
const CREATED_2 = new Date('2025-06-01T00:00:00Z');
const CREATED_3 = new Date('2026-01-01T00:00:00Z');

const FIRST_PAGE = '(first page)';

interface PageRequest {
  UserName?: string;
  Marker?: string;
}

/**
 * A fake IAM listing that serves each page by the Marker it is asked for. Requests are copied as they
 * arrive because the SDK paginator reuses one input object for every page.
 */
function servePages<Page>(asked: PageRequest[], pages: Record<string, Page>) {
  return (input: PageRequest): Page => {
    asked.push({ UserName: input.UserName, Marker: input.Marker });
    const page = pages[input.Marker ?? FIRST_PAGE];
    if (page === undefined) throw new Error(`no page for Marker ${String(input.Marker)}`);
    return page;
  };
}

beforeEach(() => {
  iamMock.reset();
});

describe('iamAccount', () => {
  describe('listAccessKeys', () => {
    it('follows the Marker over every page and maps each key', async () => {
      const asked: PageRequest[] = [];
      iamMock.on(ListAccessKeysCommand).callsFake(
        servePages(asked, {
          [FIRST_PAGE]: {
            AccessKeyMetadata: [
              { UserName: 'alice', AccessKeyId: 'AKIA1', Status: 'Active', CreateDate: CREATED_1 },
            ],
            IsTruncated: true,
            Marker: 'page-2',
          },
          'page-2': {
            AccessKeyMetadata: [
              { UserName: 'alice', AccessKeyId: 'AKIA2', Status: 'Inactive', CreateDate: CREATED_2 },
            ],
            IsTruncated: true,
            Marker: 'page-3',
          },
          'page-3': {
            AccessKeyMetadata: [
              { UserName: 'alice', AccessKeyId: 'AKIA3', Status: 'Active', CreateDate: CREATED_3 },
            ],
            IsTruncated: false,
          },
        }),
      );

      const keys = await account.listAccessKeys('alice');

      expect(keys).toEqual([
        { userName: 'alice', accessKeyId: 'AKIA1', status: 'Active', createDate: CREATED_1 },
        { userName: 'alice', accessKeyId: 'AKIA2', status: 'Inactive', createDate: CREATED_2 },
        { userName: 'alice', accessKeyId: 'AKIA3', status: 'Active', createDate: CREATED_3 },
      ]);
      expect(asked).toEqual([
        { UserName: 'alice', Marker: undefined },
        { UserName: 'alice', Marker: 'page-2' },
        { UserName: 'alice', Marker: 'page-3' },
      ]);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['no status', { AccessKeyId: 'AKIA3', CreateDate: CREATED_3 }, 'key AKIA3 has the status null'],
      [
        'a status IAM does not document',
        { AccessKeyId: 'AKIA2', Status: 'Expired', CreateDate: CREATED_2 },
        'key AKIA2 has the status "Expired", neither Active nor Inactive',
      ],
      [
        'a status in the wrong case',
        { AccessKeyId: 'AKIA2', Status: 'inactive', CreateDate: CREATED_2 },
        'key AKIA2 has the status "inactive"',
      ],
      ['no id', { Status: 'Active', CreateDate: CREATED_1 }, 'the answer has no AccessKeyId in a key'],
      [
        'no creation date',
        { AccessKeyId: 'AKIA1', Status: 'Active' },
        'the answer has no CreateDate for AKIA1',
      ],
    ])('refuses the whole answer when a key has %s', async (_case, odd, message) => {
      iamMock.on(ListAccessKeysCommand).resolves({
        AccessKeyMetadata: [{ AccessKeyId: 'AKIA9', Status: 'Active', CreateDate: CREATED_1 }, odd],
      });

      const error = await account.listAccessKeys('bob').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(IamAccountError);
      expect(error).not.toBeInstanceOf(IamEntityNotFoundError);
      expect((error as Error).message).toContain(`ListAccessKeys for bob: ${message}`);
    });

    it('reads the two statuses IAM documents as they are', async () => {
      iamMock.on(ListAccessKeysCommand).resolves({
        AccessKeyMetadata: [
          { AccessKeyId: 'AKIA1', Status: 'Active', CreateDate: CREATED_1 },
          { AccessKeyId: 'AKIA2', Status: 'Inactive', CreateDate: CREATED_2 },
        ],
      });

      expect((await account.listAccessKeys('bob')).map((key) => key.status)).toEqual(['Active', 'Inactive']);
    });

    it('returns no keys for a user without any', async () => {
      iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });

      await expect(account.listAccessKeys('carol')).resolves.toEqual([]);
    });
  });

  describe('listUserTags', () => {
    it('follows the Marker over every page and maps the tags', async () => {
      const asked: PageRequest[] = [];
      iamMock.on(ListUserTagsCommand).callsFake(
        servePages(asked, {
          [FIRST_PAGE]: {
            Tags: [
              { Key: 'team', Value: 'payments' },
              { Key: 'key-hygiene:exempt', Value: 'true' },
            ],
            IsTruncated: true,
            Marker: 'tags-2',
          },
          'tags-2': {
            Tags: [{ Key: 'key-hygiene:inactive-since:AKIA2', Value: '2026-01-01' }],
            IsTruncated: false,
          },
        }),
      );

      const tags = await account.listUserTags('alice');

      expect(tags).toEqual({
        team: 'payments',
        'key-hygiene:exempt': 'true',
        'key-hygiene:inactive-since:AKIA2': '2026-01-01',
      });
      expect(asked).toEqual([
        { UserName: 'alice', Marker: undefined },
        { UserName: 'alice', Marker: 'tags-2' },
      ]);
    });

    it('reads a tag without a value as the empty string', async () => {
      iamMock.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'key-hygiene:exempt', Value: undefined }] });

      await expect(account.listUserTags('alice')).resolves.toEqual({ 'key-hygiene:exempt': '' });
    });
  });

  describe('lastUsed', () => {
    it('returns the date the key was last used', async () => {
      const lastUsed = new Date('2026-01-10T08:00:00Z');
      iamMock.on(GetAccessKeyLastUsedCommand).resolves({
        UserName: 'alice',
        AccessKeyLastUsed: { LastUsedDate: lastUsed, ServiceName: 'iam', Region: 'us-east-1' },
      });

      await expect(account.lastUsed('AKIA1')).resolves.toEqual(lastUsed);
      expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)[0]?.args[0].input).toEqual({
        AccessKeyId: 'AKIA1',
      });
    });

    it('returns undefined for a key never used (no LastUsedDate)', async () => {
      iamMock.on(GetAccessKeyLastUsedCommand).resolves({
        UserName: 'alice',
        AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
      });

      await expect(account.lastUsed('AKIA1')).resolves.toBeUndefined();
    });
  });

  // An empty HTTP 200 body reads as an answer with every member missing: it must not pass for "no keys",
  // "no tags" (an exemption lost) or "never used" (a key in use condemned).
  describe('answers cut short', () => {
    it.each<[string, (account: IamAccount) => Promise<unknown>, () => void, string]>([
      [
        'a key list without AccessKeyMetadata',
        (iam) => iam.listAccessKeys('bob'),
        () => iamMock.on(ListAccessKeysCommand).resolves({}),
        'ListAccessKeys for bob: the answer has no AccessKeyMetadata',
      ],
      [
        'a tag list without Tags',
        (iam) => iam.listUserTags('eve'),
        () => iamMock.on(ListUserTagsCommand).resolves({ IsTruncated: false }),
        'ListUserTags for eve: the answer has no Tags',
      ],
      [
        'a last use without AccessKeyLastUsed',
        (iam) => iam.lastUsed('AKIA1'),
        () => iamMock.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'alice' }),
        'GetAccessKeyLastUsed for AKIA1: the answer has no AccessKeyLastUsed',
      ],
    ])('refuses %s as an IamAccountError', async (_case, ask, answer, message) => {
      answer();

      const error = await ask(account).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(IamAccountError);
      expect(error).not.toBeInstanceOf(IamEntityNotFoundError);
      expect((error as Error).message).toContain(message);
    });
  });

  describe('changes', () => {
    it('deactivates a key by setting the status Inactive for the right user and key', async () => {
      iamMock.on(UpdateAccessKeyCommand).resolves({});

      await account.deactivateAccessKey('alice', 'AKIA1');

      const calls = iamMock.commandCalls(UpdateAccessKeyCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({
        UserName: 'alice',
        AccessKeyId: 'AKIA1',
        Status: 'Inactive',
      });
    });

    it('deletes the right key of the right user', async () => {
      iamMock.on(DeleteAccessKeyCommand).resolves({});

      await account.deleteAccessKey('bob', 'AKIA2');

      const calls = iamMock.commandCalls(DeleteAccessKeyCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({ UserName: 'bob', AccessKeyId: 'AKIA2' });
    });

    // The SDK retries a call whose answer was lost; the retry then finds the key the first attempt deleted.
    it.each([
      [1, 'rejects with IamEntityNotFoundError: someone else deleted the key'],
      [2, 'counts the key as deleted: the first attempt deleted it and lost its answer'],
    ])('on NoSuchEntity after %i attempt(s) %s', async (attempts) => {
      iamMock.on(DeleteAccessKeyCommand).rejects(
        new NoSuchEntityException({
          message: 'The Access Key with id AKIA2 cannot be found.',
          $metadata: { attempts },
        }),
      );

      const outcome = await account.deleteAccessKey('bob', 'AKIA2').then(
        () => 'deleted',
        (error: unknown) => (error instanceof IamEntityNotFoundError ? 'not found' : String(error)),
      );

      expect(outcome).toBe(attempts > 1 ? 'deleted' : 'not found');
    });

    it('tags a user with each entry of the map as a Key/Value pair', async () => {
      iamMock.on(TagUserCommand).resolves({});

      await account.tagUser('alice', {
        'key-hygiene:inactive-since:AKIA2': '2026-01-15',
        'key-hygiene:warned:AKIA1': '2026-01-15',
      });

      const calls = iamMock.commandCalls(TagUserCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({
        UserName: 'alice',
        Tags: [
          { Key: 'key-hygiene:inactive-since:AKIA2', Value: '2026-01-15' },
          { Key: 'key-hygiene:warned:AKIA1', Value: '2026-01-15' },
        ],
      });
    });

    it('untags a user by tag key', async () => {
      iamMock.on(UntagUserCommand).resolves({});

      await account.untagUser('alice', ['key-hygiene:inactive-since:AKIA2', 'key-hygiene:warned:AKIA1']);

      const calls = iamMock.commandCalls(UntagUserCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({
        UserName: 'alice',
        TagKeys: ['key-hygiene:inactive-since:AKIA2', 'key-hygiene:warned:AKIA1'],
      });
    });
  });

  const operations: [string, (iam: IamAccount) => Promise<unknown>][] = [
    ['listAccessKeys', (iam) => iam.listAccessKeys('alice')],
    ['listUserTags', (iam) => iam.listUserTags('alice')],
    ['lastUsed', (iam) => iam.lastUsed('AKIA1')],
    ['deactivateAccessKey', (iam) => iam.deactivateAccessKey('alice', 'AKIA1')],
    ['deleteAccessKey', (iam) => iam.deleteAccessKey('alice', 'AKIA1')],
    ['tagUser', (iam) => iam.tagUser('alice', { team: 'payments' })],
    ['untagUser', (iam) => iam.untagUser('alice', ['team'])],
  ];

  /** Runs the operation and returns what it rejected with; fails the test when it resolves. */
  async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error: unknown) {
      return error;
    }
    return expect.unreachable('expected the IAM call to fail');
  }

  describe.each(operations)('%s', (_name, operation) => {
    it.each([
      [
        'NoSuchEntityException',
        () => new NoSuchEntityException({ message: 'The user cannot be found.', $metadata: {} }),
      ],
      [
        'the wire code NoSuchEntity',
        () =>
          new IAMServiceException({ name: 'NoSuchEntity', $fault: 'client', $metadata: {}, message: 'gone' }),
      ],
    ])('turns %s into IamEntityNotFoundError with the SDK error as cause', async (_case, makeError) => {
      const notFound = makeError();
      iamMock.onAnyCommand().rejects(notFound);

      const error = await rejectionOf(operation(account));

      expect(error).toBeInstanceOf(IamEntityNotFoundError);
      expect((error as Error).cause).toBe(notFound);
      // Key calls say "not found"; tag calls go through kernel's iamError, which names the SDK error.
      expect((error as Error).message).toMatch(/not found|NoSuchEntity/);
    });

    it.each([
      [
        'ServiceFailureException',
        () => new ServiceFailureException({ message: 'IAM failed', $metadata: {} }),
      ],
      [
        'AccessDenied',
        () =>
          new IAMServiceException({
            name: 'AccessDenied',
            $fault: 'client',
            $metadata: {},
            message: 'denied',
          }),
      ],
      ['a plain Error', () => new Error('socket hang up')],
    ])('turns %s into IamAccountError with the SDK error as cause', async (_case, makeError) => {
      const failure = makeError();
      iamMock.onAnyCommand().rejects(failure);

      const error = await rejectionOf(operation(account));

      expect(error).toBeInstanceOf(IamAccountError);
      expect(error).not.toBeInstanceOf(IamEntityNotFoundError);
      expect((error as Error).name).toBe('IamAccountError');
      expect((error as Error).cause).toBe(failure);
      expect((error as Error).message).toContain(failure.message);
    });

    it.each([
      ['Throttling', 'Rate exceeded'],
      ['ConcurrentModification', 'another change is in progress'],
    ])('turns %s, past the SDK’s retries, into IamBusyError (an IamAccountError)', async (name, message) => {
      const busy = new IAMServiceException({ name, $fault: 'client', $metadata: {}, message });
      iamMock.onAnyCommand().rejects(busy);

      const error = await rejectionOf(operation(account));

      expect(error).toBeInstanceOf(IamAccountError);
      expect((error as Error).name).toBe('IamBusyError');
      expect((error as Error).cause).toBe(busy);
      expect((error as Error).message).toContain(message);
    });
  });

  it('translates an error on a later page of a listing', async () => {
    const notFound = new NoSuchEntityException({ message: 'The user cannot be found.', $metadata: {} });
    iamMock
      .on(ListAccessKeysCommand)
      .resolvesOnce({
        AccessKeyMetadata: [{ AccessKeyId: 'AKIA1', Status: 'Active', CreateDate: CREATED_1 }],
        IsTruncated: true,
        Marker: 'page-2',
      })
      .rejectsOnce(notFound);

    const error = await rejectionOf(account.listAccessKeys('alice'));

    expect(error).toBeInstanceOf(IamEntityNotFoundError);
    expect((error as Error).cause).toBe(notFound);
  });
});
