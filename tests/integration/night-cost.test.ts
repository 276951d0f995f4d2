import { TagUserCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { ServedRequests } from '../../scripts/emulator/index.ts';
import { addDays } from '../../shared/kernel/time.ts';
import { noticeTag, noticeValue } from '../../shared/key-enforcement/key-records.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceKeysHandler } from '../helpers/lambda.ts';

const { control } = useEmulator();

/** Whole seconds, as IAM dates keys. */
const daysAgo = (days: number) => new Date(Math.floor(addDays(new Date(), -days).getTime() / 1000) * 1000);

const WARNED = 30;

/**
 * An account of keys in the warning window whose owners were told for their current stage (the 14-day
 * notice, 10 days left), two keys that reach their 7-day notice tonight, one key warned before its deadline
 * and now past it. `records`: whether the notice records name their key's creation time (as the service
 * writes them now) or not (as it wrote them before).
 */
async function seedWarnedAccount(records: 'naming their key' | 'without key creation times') {
  const users = [
    ...Array.from({ length: WARNED }, (_, index) => ({ userName: `told-${index}`, ageDays: 80, stage: 14 })),
    { userName: 'seven-days-a', ageDays: 84, stage: 14 },
    { userName: 'seven-days-b', ageDays: 84, stage: 14 },
    { userName: 'overdue', ageDays: 95, stage: 1 },
  ].map((user) => ({ ...user, createDate: daysAgo(user.ageDays) }));
  const seeded = await control.seedUsers(
    users.map(({ userName, createDate }) => ({
      userName,
      keys: [{ createDate, lastUsed: { date: daysAgo(0.25) } }],
    })),
  );
  const iam = iamClient();
  for (const [index, user] of users.entries()) {
    const accessKeyId = seeded[index]?.accessKeyIds[0] ?? '';
    const notice = { kind: 'warning', stage: user.stage } as const;
    const value =
      records === 'naming their key' ? noticeValue(notice, user.createDate) : `warning-${user.stage}`;
    await iam.send(
      new TagUserCommand({ UserName: user.userName, Tags: [{ Key: noticeTag(accessKeyId), Value: value }] }),
    );
  }
}

function byAction(requests: ServedRequests[]): Record<string, number> {
  return Object.fromEntries(
    requests.filter((entry) => entry.service === 'iam').map((entry) => [entry.action, entry.count]),
  );
}

async function runNight() {
  await control.clearServedRequests();
  const summary = await (await loadEnforceKeysHandler())({});
  return { summary, requests: byAction(await control.servedRequests()) };
}

describe('a night costs what tonight’s work costs', () => {
  it('looks live only at the users with a notice or a change due, reading every user’s tags in one request', async () => {
    await seedWarnedAccount('naming their key');
    const { summary, requests } = await runNight();

    expect(requests).toEqual({
      GenerateCredentialReport: 2,
      GetCredentialReport: 1,
      // The account's name for the mail, once a night.
      ListAccountAliases: 1,
      // The 33 flagged users' tags, in one bulk read instead of 33 ListUserTags.
      GetAccountAuthorizationDetails: 1,
      // Looked at live: the two owners due their 7-day notice. The overdue key, named by its record, is
      // listed once: the live re-check right before its deactivation.
      ListAccessKeys: 3,
      UpdateAccessKey: 1,
      // The deactivation record, written before the change and marked confirmed after it.
      TagUser: 2,
    });
    expect(summary.review).toMatchObject({ lookedAtLive: 2, fromRecords: 1, tagsRead: 'in bulk' });
    expect(summary.counts).toMatchObject({ deactivated: 1, warned: 2, failures: 0 });
    expect(
      summary.keys
        .filter((key) => key.decision === 'warn')
        .map((key) => key.userName)
        .sort(),
    ).toEqual(['seven-days-a', 'seven-days-b']);
  });

  it('looks live at every flagged user while the records do not name their keys (written before they did)', async () => {
    await seedWarnedAccount('without key creation times');
    const { summary, requests } = await runNight();

    // Every flagged user listed to plan (33), and the overdue key once more for its re-check: what every
    // night cost before records named their keys.
    expect(requests).toMatchObject({ GetAccountAuthorizationDetails: 1, ListAccessKeys: WARNED + 3 + 1 });
    expect(requests.ListUserTags).toBeUndefined();
    expect(summary.review).toMatchObject({ lookedAtLive: WARNED + 3, fromRecords: 0 });
    expect(summary.counts).toMatchObject({ deactivated: 1, failures: 0 });
  });
});
