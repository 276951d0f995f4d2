import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  type IAMClient,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { DemoScenario } from '../../scripts/demo-account.ts';
import { DAY_MS } from '../../shared/kernel/time.ts';
import { deactivatedTag, deactivatedValue } from '../../shared/key-enforcement/key-records.ts';
import { faultLog, recordFigure } from '../helpers/fault-figures.ts';
import { type SeededAccount, useFaultHarness } from '../helpers/fault-harness.ts';
import type { ProxiedRequest } from '../helpers/fault-proxy.ts';
import { type AccountMeaning, ALL_HELD } from '../helpers/run-invariants.ts';

const harness = useFaultHarness();

type Moment = 'after the report' | 'after planning' | 'between the re-check and the change';

interface ChangeCase {
  case: string;
  scenario: DemoScenario;
  moment: Moment;
  /** What someone does to the user's first seeded key (or its only one), straight on the account. */
  change: (iam: IAMClient, userName: string, accessKeyId: string) => Promise<void>;
  /** The user's keys and records once the run is over; every other user as in the fault-free run. */
  expected: (label: string) => Pick<AccountMeaning, 'keys'> & { records: Record<string, string> };
  /** The summary row of the key, if the run still planned it. */
  row?: { outcome: string; detail: RegExp };
}

const deleteKey = async (iam: IAMClient, userName: string, accessKeyId: string) => {
  await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
};
const setStatus =
  (status: 'Active' | 'Inactive') => async (iam: IAMClient, userName: string, accessKeyId: string) => {
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status }),
    );
  };
const rotate = async (iam: IAMClient, userName: string, accessKeyId: string) => {
  await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
  await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
};

const cases: ChangeCase[] = [
  {
    case: 'an overdue key deleted by its owner after the report was read',
    scenario: 'overdue',
    moment: 'after the report',
    change: deleteKey,
    expected: (key) => ({ keys: { [key]: 'deleted' }, records: {} }),
  },
  {
    case: 'an overdue key rotated (deleted, a new one created) after planning',
    scenario: 'exemptionExpired',
    moment: 'after planning',
    change: rotate,
    expected: (key) => ({
      keys: { [key]: 'deleted', [`${key.split('#')[0]}#new`]: 'Active' },
      records: {},
    }),
    row: { outcome: 'skipped', detail: /the key no longer exists/ },
  },
  {
    case: 'an overdue key deactivated by hand after planning',
    scenario: 'withEmail',
    moment: 'after planning',
    change: setStatus('Inactive'),
    // The warning record earlier runs left on the demo account stays: its key still exists.
    expected: (key) => ({
      keys: { [key]: 'Inactive' },
      records: { [`key-hygiene:notified:${key}`]: 'as seeded' },
    }),
    row: { outcome: 'skipped', detail: /status changed from Active to Inactive/ },
  },
  {
    case: 'a key due for deletion re-activated by an administrator after planning',
    scenario: 'deactivatedGraceOver',
    moment: 'after planning',
    change: setStatus('Active'),
    // The old deactivation record stays until the next run finds the key active.
    expected: (key) => ({
      keys: { [key]: 'Active' },
      records: { [`key-hygiene:deactivated:${key}`]: 'as seeded' },
    }),
    row: { outcome: 'skipped', detail: /status changed from Inactive to Active/ },
  },
  {
    case: 'an overdue key deleted between the live re-check and the deactivation',
    scenario: 'overdue',
    moment: 'between the re-check and the change',
    change: deleteKey,
    expected: (key) => ({ keys: { [key]: 'deleted' }, records: {} }),
    row: { outcome: 'skipped', detail: /the key no longer exists/ },
  },
];

/** The request after whose answer the change is made. */
function trigger(moment: Moment, userName: string): (request: ProxiedRequest, seen: number) => boolean {
  switch (moment) {
    case 'after the report':
      return (request) => request.action === 'GetCredentialReport';
    case 'after planning':
      // The run has read the user's tags: the user is planned.
      return (request) => request.action === 'ListUserTags' && request.params.get('UserName') === userName;
    case 'between the re-check and the change':
      // The second listing of the user's keys is the enforcer's live re-check.
      return (request, seen) =>
        request.action === 'ListAccessKeys' && request.params.get('UserName') === userName && seen === 2;
  }
}

function expectedAccount(base: AccountMeaning, account: SeededAccount, item: ChangeCase): AccountMeaning {
  const user = account.demo.users[item.scenario];
  const label = account.labels.of(user.keys[0]?.accessKeyId ?? '?');
  const { keys, records } = item.expected(label);
  return {
    keys: { ...base.keys, ...keys },
    records: { ...base.records, [user.userName]: records },
    otherTags: base.otherTags,
  };
}

describe('the account changing between the credential report, the plan and the action', () => {
  it.each(cases)('leaves alone $case', async (item) => {
    const base = await harness.baseline();
    const account = await harness.freshAccount();
    const user = account.demo.users[item.scenario];
    const key = user.keys[0]?.accessKeyId ?? '?';
    const isTrigger = trigger(item.moment, user.userName);
    let listings = 0;
    let changed = false;
    const run = await harness.run({
      afterEmulator: async (request) => {
        if (request.action === 'ListAccessKeys' && request.params.get('UserName') === user.userName)
          listings += 1;
        if (changed || !isTrigger(request, listings)) return;
        changed = true;
        await item.change(harness.iam, user.userName, key);
      },
    });
    const claims = await harness.claimsNotBorneOut(account, run);
    const verdict = await harness.verdict(account, [run], {
      state: expectedAccount(base.account, account, item),
      claims,
    });
    recordFigure(
      'account changed during the run',
      0,
      [run],
      JSON.stringify(verdict) === JSON.stringify(ALL_HELD),
      `${item.case} (${item.moment})`,
    );

    expect(changed).toBe(true);
    expect(run.error).toBeUndefined();
    expect(verdict, faultLog([run])).toEqual(ALL_HELD);
    const row = run.summary?.keys.find((candidate) => candidate.accessKeyId === key);
    if (item.row === undefined) expect(row).toBeUndefined();
    else
      expect(row).toMatchObject({
        outcome: item.row.outcome,
        detail: expect.stringMatching(item.row.detail),
      });
    // Nobody is told of a change the run did not make.
    const told = (await harness.notices(account)).filter((notice) => notice.key === account.labels.of(key));
    expect(told).toEqual([]);
  });
});

// The keys of a user with two changes due used to be listed once, before both: a key re-activated while the
// first one was being changed was then deleted on that stale listing.
describe('a two-key user with two changes due', () => {
  it('re-checks the second key right before its delete: re-activated meanwhile, it is kept', async () => {
    await harness.baseline();
    const account = await harness.freshAccount();
    const { userName, keys } = account.demo.users.twoKeys;
    const [fresh, old] = [...keys].sort((a, b) => b.createDate.getTime() - a.createDate.getTime());
    if (fresh === undefined || old === undefined) throw new Error('the two-key user has two keys');
    // Tonight: the old key is deactivated; the fresh one, deactivated by this service 40 days ago, deleted.
    await harness.iam.send(
      new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: fresh.accessKeyId, Status: 'Inactive' }),
    );
    await harness.iam.send(
      new TagUserCommand({
        UserName: userName,
        Tags: [
          {
            Key: deactivatedTag(fresh.accessKeyId),
            Value: deactivatedValue(new Date(Date.now() - 40 * DAY_MS), true),
          },
        ],
      }),
    );
    let changed = false;
    const run = await harness.run({
      // Right after the old key's deactivation reached IAM, someone re-activates the fresh key.
      afterEmulator: async (request) => {
        if (changed || request.action !== 'UpdateAccessKey') return;
        if (request.params.get('AccessKeyId') !== old.accessKeyId) return;
        changed = true;
        await setStatus('Active')(harness.iam, userName, fresh.accessKeyId);
      },
    });
    const after = await harness.meaning(account);

    expect(changed).toBe(true);
    expect(run.error).toBeUndefined();
    expect(after.keys[account.labels.of(old.accessKeyId)]).toBe('Inactive');
    expect(after.keys[account.labels.of(fresh.accessKeyId)]).toBe('Active');
    expect(run.summary?.keys.find((row) => row.accessKeyId === fresh.accessKeyId)).toMatchObject({
      decision: 'delete',
      outcome: 'skipped',
      detail: 'its status changed from Inactive to Active since planning',
    });
    expect(await harness.claimsNotBorneOut(account, run)).toEqual([]);
  });
});
