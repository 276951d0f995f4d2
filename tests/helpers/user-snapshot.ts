import {
  GetLoginProfileCommand,
  GetUserCommand,
  type IAMClient,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListUsers,
  paginateListUserTags,
} from '@aws-sdk/client-iam';

export interface OnboardedUserSnapshot {
  arn: string;
  path: string;
  permissionsBoundaryArn: string | undefined;
  tags: Record<string, string>;
  hasLoginProfile: boolean;
  groups: string[];
  policyArns: string[];
  accessKeys: number;
}

/** Every user with what onboarding creates for one: tags, login profile, groups, policies, keys. */
export async function snapshotUsers(iam: IAMClient): Promise<Record<string, OnboardedUserSnapshot>> {
  const snapshot: Record<string, OnboardedUserSnapshot> = {};
  for await (const page of paginateListUsers({ client: iam }, {})) {
    for (const listed of page.Users ?? []) {
      const userName = listed.UserName as string;
      const { User: user } = await iam.send(new GetUserCommand({ UserName: userName }));
      const tags: Record<string, string> = {};
      for await (const tagPage of paginateListUserTags({ client: iam }, { UserName: userName })) {
        for (const tag of tagPage.Tags ?? []) tags[tag.Key as string] = tag.Value as string;
      }
      const groups: string[] = [];
      for await (const groupPage of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
        groups.push(...(groupPage.Groups ?? []).map((group) => group.GroupName as string));
      }
      const policyArns: string[] = [];
      for await (const policyPage of paginateListAttachedUserPolicies(
        { client: iam },
        { UserName: userName },
      )) {
        policyArns.push(...(policyPage.AttachedPolicies ?? []).map((policy) => policy.PolicyArn as string));
      }
      let accessKeys = 0;
      for await (const keyPage of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
        accessKeys += keyPage.AccessKeyMetadata?.length ?? 0;
      }
      snapshot[userName] = {
        arn: user?.Arn as string,
        path: user?.Path as string,
        permissionsBoundaryArn: user?.PermissionsBoundary?.PermissionsBoundaryArn,
        tags,
        hasLoginProfile: await hasLoginProfile(iam, userName),
        groups: groups.sort(),
        policyArns: policyArns.sort(),
        accessKeys,
      };
    }
  }
  return snapshot;
}

async function hasLoginProfile(iam: IAMClient, userName: string): Promise<boolean> {
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (error: unknown) {
    if (error instanceof Error && error.name === 'NoSuchEntityException') return false;
    throw error;
  }
}
