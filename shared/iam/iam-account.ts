import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  paginateListAccessKeys,
  paginateListUserTags,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { awsErrorName, describeError } from '../aws-errors.ts';
import type { LiveAccessKey } from '../key-policy/types.ts';
import { IamAccountError, IamEntityNotFoundError } from './errors.ts';

/** The IAM actions this adapter calls; the enforceKeys role must grant exactly these (plus the report's). */
export const ACCESS_KEY_IAM_ACTIONS = [
  'iam:ListAccessKeys',
  'iam:GetAccessKeyLastUsed',
  'iam:UpdateAccessKey',
  'iam:DeleteAccessKey',
  'iam:ListUserTags',
  'iam:TagUser',
  'iam:UntagUser',
] as const;

/** The port the key-enforcement use case needs from IAM: one user's keys and tags. */
export interface IamAccount {
  listAccessKeys(userName: string): Promise<LiveAccessKey[]>;
  listUserTags(userName: string): Promise<Record<string, string>>;
  /** When the key was last used; `undefined` when never. */
  lastUsed(accessKeyId: string): Promise<Date | undefined>;
  deactivateAccessKey(userName: string, accessKeyId: string): Promise<void>;
  deleteAccessKey(userName: string, accessKeyId: string): Promise<void>;
  tagUser(userName: string, tags: Record<string, string>): Promise<void>;
  untagUser(userName: string, tagKeys: string[]): Promise<void>;
}

/**
 * The IAM-backed `IamAccount`. SDK errors are translated here: NoSuchEntity becomes
 * `IamEntityNotFoundError`, anything else `IamAccountError`, each with the SDK error as `cause`.
 */
export function iamAccount(iam: IAMClient): IamAccount {
  const call = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error: unknown) {
      const name = awsErrorName(error);
      if (name === 'NoSuchEntityException' || name === 'NoSuchEntity') {
        throw new IamEntityNotFoundError(`${what}: not found (${describeError(error)})`, { cause: error });
      }
      throw new IamAccountError(`${what} failed: ${describeError(error)}`, { cause: error });
    }
  };

  return {
    listAccessKeys: (userName) =>
      call(`ListAccessKeys for ${userName}`, async () => {
        const keys: LiveAccessKey[] = [];
        for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
          for (const key of page.AccessKeyMetadata ?? []) {
            if (key.AccessKeyId === undefined || key.CreateDate === undefined) continue;
            keys.push({
              userName,
              accessKeyId: key.AccessKeyId,
              status: key.Status === 'Active' ? 'Active' : 'Inactive',
              createDate: key.CreateDate,
            });
          }
        }
        return keys;
      }),
    listUserTags: (userName) =>
      call(`ListUserTags for ${userName}`, async () => {
        const tags: Record<string, string> = {};
        for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
          for (const tag of page.Tags ?? []) {
            if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
          }
        }
        return tags;
      }),
    lastUsed: (accessKeyId) =>
      call(`GetAccessKeyLastUsed for ${accessKeyId}`, async () => {
        const response = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
        return response.AccessKeyLastUsed?.LastUsedDate;
      }),
    deactivateAccessKey: (userName, accessKeyId) =>
      call(`Deactivating ${accessKeyId} of ${userName}`, async () => {
        await iam.send(
          new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }),
        );
      }),
    deleteAccessKey: (userName, accessKeyId) =>
      call(`Deleting ${accessKeyId} of ${userName}`, async () => {
        await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
      }),
    tagUser: (userName, tags) =>
      call(`Tagging ${userName}`, async () => {
        await iam.send(
          new TagUserCommand({
            UserName: userName,
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      }),
    untagUser: (userName, tagKeys) =>
      call(`Untagging ${userName}`, async () => {
        await iam.send(new UntagUserCommand({ UserName: userName, TagKeys: tagKeys }));
      }),
  };
}
