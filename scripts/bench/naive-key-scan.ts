import {
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  paginateListAccessKeys,
  paginateListUsers,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface NaiveScanOptions {
  now: Date;
  maxAgeDays: number;
}

export interface NaiveScanResult {
  users: number;
  keys: number;
  deactivated: number;
}

/**
 * The baseline the bench compares the service with, and nothing else: a per-user inventory, the approach
 * of the AWS sample and of per-user rotation tools. ListUsers, then for every user ListAccessKeys, then for
 * every key GetAccessKeyLastUsed; an active key older than `maxAgeDays` is deactivated. One request at a
 * time, as those tools do. It records nothing, tells no one and re-checks nothing: it is the cheapest way to
 * do the same job without the credential report.
 */
export async function naiveKeyScan(iam: IAMClient, options: NaiveScanOptions): Promise<NaiveScanResult> {
  const limit = options.now.getTime() - options.maxAgeDays * DAY_MS;
  const result: NaiveScanResult = { users: 0, keys: 0, deactivated: 0 };
  for await (const usersPage of paginateListUsers({ client: iam }, {})) {
    for (const user of usersPage.Users ?? []) {
      if (user.UserName === undefined) continue;
      result.users += 1;
      for await (const keysPage of paginateListAccessKeys({ client: iam }, { UserName: user.UserName })) {
        for (const key of keysPage.AccessKeyMetadata ?? []) {
          if (key.AccessKeyId === undefined) continue;
          result.keys += 1;
          // Fetched for every key, as those tools do to judge "unused"; this rule does not need it.
          await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
          if (key.Status === 'Active' && (key.CreateDate?.getTime() ?? Number.POSITIVE_INFINITY) < limit) {
            await iam.send(
              new UpdateAccessKeyCommand({
                UserName: user.UserName,
                AccessKeyId: key.AccessKeyId,
                Status: 'Inactive',
              }),
            );
            result.deactivated += 1;
          }
        }
      }
    }
  }
  return result;
}
