import {
  type IAMClient,
  paginateListAccessKeys,
  paginateListUsers,
  paginateListUserTags,
} from '@aws-sdk/client-iam';

export interface UserSnapshot {
  keys: { accessKeyId: string; status: string; createDate: string }[];
  tags: Record<string, string>;
}

/** Every user's keys and tags, to compare an account before and after a run. */
export async function snapshotAccount(iam: IAMClient): Promise<Record<string, UserSnapshot>> {
  const snapshot: Record<string, UserSnapshot> = {};
  for await (const page of paginateListUsers({ client: iam }, {})) {
    for (const user of page.Users ?? []) {
      const userName = user.UserName as string;
      const keys: UserSnapshot['keys'] = [];
      for await (const keyPage of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
        for (const key of keyPage.AccessKeyMetadata ?? []) {
          keys.push({
            accessKeyId: key.AccessKeyId as string,
            status: key.Status as string,
            createDate: (key.CreateDate as Date).toISOString(),
          });
        }
      }
      const tags: Record<string, string> = {};
      for await (const tagPage of paginateListUserTags({ client: iam }, { UserName: userName })) {
        for (const tag of tagPage.Tags ?? []) tags[tag.Key as string] = tag.Value as string;
      }
      snapshot[userName] = { keys, tags };
    }
  }
  return snapshot;
}
