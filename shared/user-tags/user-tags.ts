import { type IAMClient, paginateListUserTags, TagUserCommand, UntagUserCommand } from '@aws-sdk/client-iam';
import { IamAccountError, withIamErrors } from '../kernel/index.ts';

/** The IAM actions this adapter calls; every role whose code reads or writes the service's user tags needs them. */
export const USER_TAGS_IAM_ACTIONS = ['iam:ListUserTags', 'iam:TagUser', 'iam:UntagUser'] as const;

/** A user's tags: where the service reads exemptions and email addresses, and keeps its records. */
export interface UserTags {
  listUserTags(userName: string): Promise<Record<string, string>>;
  tagUser(userName: string, tags: Record<string, string>): Promise<void>;
  untagUser(userName: string, tagKeys: string[]): Promise<void>;
}

/**
 * The IAM-backed `UserTags`. SDK errors become the kernel's IAM errors (`iamError`): NoSuchEntity
 * `IamEntityNotFoundError`, throttling `IamBusyError`, anything else `IamAccountError`. A tag page without
 * its tag list is an `IamAccountError` too: the SDK reads an empty body as "no tags", which would hide an
 * exemption.
 */
export function userTags(iam: IAMClient): UserTags {
  return {
    listUserTags: (userName) =>
      withIamErrors(`ListUserTags for ${userName}`, async () => {
        const tags: Record<string, string> = {};
        for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
          if (page.Tags === undefined) {
            throw new IamAccountError(
              `ListUserTags for ${userName}: the answer has no Tags, which IAM always sends; it was probably cut short on the way and is not trusted`,
            );
          }
          for (const tag of page.Tags) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
        }
        return tags;
      }),
    tagUser: (userName, tags) =>
      withIamErrors(`Tagging ${userName}`, async () => {
        await iam.send(
          new TagUserCommand({
            UserName: userName,
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      }),
    untagUser: (userName, tagKeys) =>
      withIamErrors(`Untagging ${userName}`, async () => {
        await iam.send(new UntagUserCommand({ UserName: userName, TagKeys: tagKeys }));
      }),
  };
}
