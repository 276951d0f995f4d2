import {
  type AccessKeyMetadata,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { IamAccountError, isNoSuchEntityError, withIamErrors } from '../kernel/index.ts';
import { type UserTags, userTags } from '../user-tags/index.ts';
import type { LiveAccessKey } from './types.ts';

/** The IAM actions this adapter calls (one user's tags through user-tags); the enforceKeys role must grant them. */
export const ACCESS_KEY_IAM_ACTIONS = [
  'iam:ListAccessKeys',
  'iam:GetAccessKeyLastUsed',
  'iam:UpdateAccessKey',
  'iam:DeleteAccessKey',
  'iam:GetAccountAuthorizationDetails',
] as const;

/** Users per GetAccountAuthorizationDetails page (IAM's largest): 5 requests read the largest account. */
export const USERS_PER_BULK_PAGE = 1000;

/** The requests `userTagsInBulk` makes for an account of `users` users. */
export function bulkTagPages(users: number): number {
  return Math.max(1, Math.ceil(users / USERS_PER_BULK_PAGE));
}

/** The port the key-enforcement use case needs from IAM: one user's keys and tags. */
export interface IamAccount extends UserTags {
  listAccessKeys(userName: string): Promise<LiveAccessKey[]>;
  /**
   * Every user's tags by user name, read in bulk (GetAccountAuthorizationDetails, users only): a user
   * missing from the answer was not seen, a user with no tags has an empty record.
   */
  userTagsInBulk(): Promise<Map<string, Record<string, string>>>;
  /** When the key was last used; `undefined` when never. */
  lastUsed(accessKeyId: string): Promise<Date | undefined>;
  deactivateAccessKey(userName: string, accessKeyId: string): Promise<void>;
  deleteAccessKey(userName: string, accessKeyId: string): Promise<void>;
}

/**
 * The IAM-backed `IamAccount`. SDK errors are translated here by kernel's `iamError`: NoSuchEntity becomes
 * `IamEntityNotFoundError`, throttling past the SDK's retries `IamBusyError`, anything else
 * `IamAccountError`, each with the SDK error as `cause`. An answer without a member IAM always sends (a key
 * list, a tag list, a last-use record) is an `IamAccountError` too: the SDK reads an empty body as an empty
 * answer, and "no tags" would hide an exemption, "never used" would condemn a key in use.
 */
export function iamAccount(iam: IAMClient): IamAccount {
  return {
    ...userTags(iam),
    listAccessKeys: (userName) =>
      withIamErrors(`ListAccessKeys for ${userName}`, async () => {
        const keys: LiveAccessKey[] = [];
        for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
          if (page.AccessKeyMetadata === undefined)
            throw incompleteAnswer(`ListAccessKeys for ${userName}`, 'AccessKeyMetadata');
          for (const key of page.AccessKeyMetadata) keys.push(liveKey(userName, key));
        }
        return keys;
      }),
    userTagsInBulk: () =>
      withIamErrors('GetAccountAuthorizationDetails (users)', async () => {
        const users = new Map<string, Record<string, string>>();
        const pages = paginateGetAccountAuthorizationDetails(
          { client: iam, pageSize: USERS_PER_BULK_PAGE },
          { Filter: ['User'] },
        );
        for await (const page of pages) {
          // IAM leaves out a user's Tags when it has none, so only the list itself proves an answer whole.
          if (page.UserDetailList === undefined)
            throw incompleteAnswer('GetAccountAuthorizationDetails', 'UserDetailList');
          for (const user of page.UserDetailList) {
            if (user.UserName === undefined)
              throw incompleteAnswer('GetAccountAuthorizationDetails', 'UserName in a user');
            const tags: Record<string, string> = {};
            for (const tag of user.Tags ?? []) {
              if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
            }
            users.set(user.UserName, tags);
          }
        }
        return users;
      }),
    lastUsed: (accessKeyId) =>
      withIamErrors(`GetAccessKeyLastUsed for ${accessKeyId}`, async () => {
        const response = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
        // A key never used still gets an AccessKeyLastUsed (Region and ServiceName N/A).
        if (response.AccessKeyLastUsed === undefined)
          throw incompleteAnswer(`GetAccessKeyLastUsed for ${accessKeyId}`, 'AccessKeyLastUsed');
        return response.AccessKeyLastUsed.LastUsedDate;
      }),
    deactivateAccessKey: (userName, accessKeyId) =>
      withIamErrors(`Deactivating ${accessKeyId} of ${userName}`, async () => {
        await iam.send(
          new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }),
        );
      }),
    deleteAccessKey: (userName, accessKeyId) =>
      withIamErrors(`Deleting ${accessKeyId} of ${userName}`, async () => {
        try {
          await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
        } catch (error: unknown) {
          // The SDK retries a call whose answer was lost (a dropped connection, a 5xx): when a retry finds
          // the key gone, the first attempt deleted it. What was asked is done.
          if (isNoSuchEntityError(error) && attemptsOf(error) > 1) return;
          throw error;
        }
      }),
  };
}

/**
 * One key of a ListAccessKeys answer. A key without its id, its creation date or a status IAM documents
 * (`Active`, `Inactive`) is refused with the whole answer: read as Inactive it could end in a delete, and
 * skipped it would pass for a key someone deleted (whose records are then dropped).
 */
function liveKey(userName: string, key: AccessKeyMetadata): LiveAccessKey {
  const what = `ListAccessKeys for ${userName}`;
  if (key.AccessKeyId === undefined) throw incompleteAnswer(what, 'AccessKeyId in a key');
  if (key.CreateDate === undefined) throw incompleteAnswer(what, `CreateDate for ${key.AccessKeyId}`);
  if (key.Status !== 'Active' && key.Status !== 'Inactive') {
    throw new IamAccountError(
      `${what}: key ${key.AccessKeyId} has the status ${JSON.stringify(key.Status ?? null)}, neither Active nor Inactive; the answer is not trusted`,
    );
  }
  return { userName, accessKeyId: key.AccessKeyId, status: key.Status, createDate: key.CreateDate };
}

function incompleteAnswer(what: string, member: string): IamAccountError {
  return new IamAccountError(
    `${what}: the answer has no ${member}, which IAM always sends; it was probably cut short on the way and is not trusted`,
  );
}

/** How many attempts the SDK made before it gave up with `error` (1 when it does not say). */
function attemptsOf(error: unknown): number {
  const metadata = (error as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata;
  return typeof metadata?.attempts === 'number' ? metadata.attempts : 1;
}
