import { describe, expect, it } from 'vitest';
import { IamEntityNotFoundError } from '../../../shared/kernel/errors.ts';
import { type EnforceOptions, enforcePlan } from '../../../shared/key-enforcement/enforcer/enforce-plan.ts';
import {
  deactivatedTag,
  deactivatedValue,
  inactiveSinceTag,
} from '../../../shared/key-enforcement/key-records.ts';
import { planKeyActions } from '../../../shared/key-enforcement/plan/plan-key-actions.ts';
import type { LiveAccessKey, UserKeyFacts } from '../../../shared/key-enforcement/types.ts';
import { FakeIamAccount } from '../../helpers/fake-iam-account.ts';
import {
  DEFAULT_SETTINGS,
  daysAgo,
  liveKey,
  NO_NIGHT_LIMITS,
  NOW,
  userFacts,
} from '../../helpers/key-facts.ts';

const ACTED_AT = new Date('2026-11-23T03:00:07.000Z');

/** Plans for the users as the account holds them, then enforces that plan on the same account. */
function planFor(
  account: FakeIamAccount,
  userNames: string[],
  settings = DEFAULT_SETTINGS,
  limits = NO_NIGHT_LIMITS,
) {
  const users: UserKeyFacts[] = userNames.map((userName) =>
    userFacts(userName, account.keysOf(userName), account.tagsOf(userName)),
  );
  return planKeyActions({ rows: [], users, settings, limits, now: NOW });
}

function options(account: FakeIamAccount, overrides: Partial<EnforceOptions> = {}): EnforceOptions {
  return {
    account,
    dryRun: false,
    guard: { tripped: false, keysNeedingAction: 0, keysInAccount: 10 },
    actionTime: () => ACTED_AT,
    ...overrides,
  };
}

describe('enforcePlan', () => {
  it('deactivates an overdue key and records when it did', async () => {
    const key = liveKey('bob', { ageDays: 120 });
    const account = new FakeIamAccount().addUser('bob', [key]);
    const result = await enforcePlan(planFor(account, ['bob']), options(account));
    expect(result.keys).toEqual([expect.objectContaining({ outcome: 'done', actedAt: ACTED_AT })]);
    expect(account.keysOf('bob')[0]?.status).toBe('Inactive');
    expect(account.tagsOf('bob')).toEqual({
      [deactivatedTag(key.accessKeyId)]: deactivatedValue(ACTED_AT, true),
    });
  });

  it('deletes a key past its grace period and forgets its record', async () => {
    const key = liveKey('ivan', { ageDays: 200, status: 'Inactive' });
    const account = new FakeIamAccount().addUser('ivan', [key], {
      [deactivatedTag(key.accessKeyId)]: daysAgo(40).toISOString(),
      team: 'data',
    });
    const result = await enforcePlan(planFor(account, ['ivan']), options(account));
    expect(result.keys.map((k) => k.outcome)).toEqual(['done']);
    expect(account.keysOf('ivan')).toEqual([]);
    expect(account.tagsOf('ivan')).toEqual({ team: 'data' });
  });

  it.each([
    {
      case: '3 days after its first deactivation',
      firstDaysAgo: 3,
      outcome: 'Inactive',
      write: 'deactivateAccessKey',
    },
    {
      case: '30 days after it (the deletion date)',
      firstDaysAgo: 30,
      outcome: 'deleted',
      write: 'deleteAccessKey',
    },
  ])(
    'acts on a key found re-activated $case, keeping the first deactivation as the record',
    async ({ firstDaysAgo, outcome, write }) => {
      const key = liveKey('mallory', { ageDays: 120 });
      const first = deactivatedValue(daysAgo(firstDaysAgo), true);
      const account = new FakeIamAccount().addUser('mallory', [key], {
        [deactivatedTag(key.accessKeyId)]: first,
      });
      const plan = planFor(account, ['mallory']);
      account.calls.length = 0;

      const result = await enforcePlan(plan, options(account));

      expect(result.keys.map((k) => k.outcome)).toEqual(['done']);
      expect(account.keysOf('mallory')[0]?.status ?? 'deleted').toBe(outcome);
      expect(account.writes().map((call) => call.method)[0]).toBe(write);
      expect(account.tagsOf('mallory')).toEqual(
        outcome === 'deleted' ? {} : { [deactivatedTag(key.accessKeyId)]: first },
      );
    },
  );

  it('withdraws the record it wrote for a key the re-check finds deactivated by someone else', async () => {
    const key = liveKey('bob', { ageDays: 120 });
    const account = new FakeIamAccount().addUser('bob', [key]);
    const plan = planFor(account, ['bob']);
    account.addUser('bob', [{ ...key, status: 'Inactive' }]);

    const result = await enforcePlan(plan, options(account));

    expect(result.keys).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
    expect(account.callsOf('deactivateAccessKey')).toEqual([]);
    expect(account.tagsOf('bob')).toEqual({});
  });

  it('touches only the planned key of a two-key user', async () => {
    const old = liveKey('tara', { ageDays: 200 });
    const fresh = liveKey('tara', { ageDays: 5 });
    const account = new FakeIamAccount().addUser('tara', [fresh, old]);
    await enforcePlan(planFor(account, ['tara']), options(account));
    expect(account.keysOf('tara').map((k) => [k.accessKeyId, k.status])).toEqual([
      [fresh.accessKeyId, 'Active'],
      [old.accessKeyId, 'Inactive'],
    ]);
    expect(account.callsOf('deactivateAccessKey')).toEqual([old.accessKeyId]);
  });

  it('re-checks the key live in the request right before it deactivates it, then confirms the record', async () => {
    const account = new FakeIamAccount().addUser('bob', [liveKey('bob', { ageDays: 120 })]);
    const plan = planFor(account, ['bob']);
    account.calls.length = 0;
    await enforcePlan(plan, options(account));
    expect(account.calls.map((c) => c.method)).toEqual([
      'tagUser',
      'listAccessKeys',
      'deactivateAccessKey',
      'tagUser',
    ]);
  });

  it('re-checks each key of a user live right before its own change, not once for both', async () => {
    const old = liveKey('u', { ageDays: 300 });
    const inactive = liveKey('u', { ageDays: 200, status: 'Inactive' });
    const account = new FakeIamAccount().addUser('u', [old, inactive], {
      [deactivatedTag(inactive.accessKeyId)]: deactivatedValue(daysAgo(40), true),
    });
    const plan = planFor(account, ['u']);
    account.calls.length = 0;
    await enforcePlan(plan, options(account));
    const calls = account.calls.map((c) => `${c.method}`);
    expect(calls).toEqual([
      'tagUser',
      'listAccessKeys',
      'deactivateAccessKey',
      'tagUser',
      'listAccessKeys',
      'deleteAccessKey',
      'untagUser',
    ]);
  });

  // A run killed between the two (a Lambda timeout) must leave what the next run can finish: an active key
  // with a record, not an inactive key without one (whose owner would never be told).
  it('writes the deactivation record before it deactivates, and keeps it when the deactivation fails', async () => {
    const key = liveKey('bob', { ageDays: 120 });
    const account = new FakeIamAccount().addUser('bob', [key]);
    const plan = planFor(account, ['bob']);
    account.failOn('deactivateAccessKey', key.accessKeyId);
    const result = await enforcePlan(plan, options(account));
    expect(result.keys.map((k) => k.outcome)).toEqual(['failed']);
    expect(account.writes().map((call) => call.method)).toEqual(['tagUser', 'deactivateAccessKey']);
    expect(account.tagsOf('bob')).toEqual({ [deactivatedTag(key.accessKeyId)]: ACTED_AT.toISOString() });
  });

  it('drops the record of a deactivation that never happened and deactivates on the next run', async () => {
    const key = liveKey('bob', { ageDays: 120 });
    const account = new FakeIamAccount().addUser('bob', [key], {
      [deactivatedTag(key.accessKeyId)]: daysAgo(1).toISOString(),
    });
    const result = await enforcePlan(planFor(account, ['bob']), options(account));
    expect(result.records.map((r) => [r.change.remove, r.outcome])).toEqual([
      [[deactivatedTag(key.accessKeyId)], 'done'],
    ]);
    expect(result.keys.map((k) => k.outcome)).toEqual(['done']);
    expect(account.keysOf('bob')[0]?.status).toBe('Inactive');
    expect(account.tagsOf('bob')).toEqual({
      [deactivatedTag(key.accessKeyId)]: deactivatedValue(ACTED_AT, true),
    });
  });

  describe('skips a key that changed since planning', () => {
    const cases: {
      case: string;
      change: (account: FakeIamAccount, key: LiveAccessKey) => void;
      detail: RegExp;
    }[] = [
      {
        case: 'deleted meanwhile',
        change: (account) => account.addUser('bob', []),
        detail: /the key no longer exists/,
      },
      {
        case: 'deactivated meanwhile',
        change: (account, key) => account.addUser('bob', [{ ...key, status: 'Inactive' }]),
        detail: /status changed from Active to Inactive/,
      },
      {
        case: 'replaced by a key with the same id and another creation date',
        change: (account, key) => account.addUser('bob', [{ ...key, createDate: daysAgo(1) }]),
        detail: /its creation date is 2026-11-22 03:00 UTC, not 2026-07-26 03:00 UTC as planned/,
      },
    ];
    it.each(cases)('$case', async ({ change, detail }) => {
      const key = liveKey('bob', { ageDays: 120 });
      const account = new FakeIamAccount().addUser('bob', [key]);
      const plan = planFor(account, ['bob']);
      change(account, key);
      const result = await enforcePlan(plan, options(account));
      expect(result.keys).toEqual([
        expect.objectContaining({ outcome: 'skipped', detail: expect.stringMatching(detail) }),
      ]);
      expect(account.callsOf('deactivateAccessKey')).toEqual([]);
    });

    // A user left with no key is never selected again: records of a vanished key must go now.
    it.each([
      [
        'found gone by the live re-check',
        (account: FakeIamAccount, key: LiveAccessKey) => account.deleteAccessKey('ivan', key.accessKeyId),
      ],
      [
        'reported gone by IAM as it is deleted',
        async (account: FakeIamAccount, key: LiveAccessKey) =>
          account.failOn('deleteAccessKey', key.accessKeyId, new IamEntityNotFoundError('NoSuchEntity')),
      ],
    ])('a key %s, whose records it removes', async (_case, vanish) => {
      const key = liveKey('ivan', { ageDays: 200, status: 'Inactive' });
      const account = new FakeIamAccount().addUser('ivan', [key], {
        [deactivatedTag(key.accessKeyId)]: daysAgo(40).toISOString(),
        team: 'data',
      });
      const plan = planFor(account, ['ivan']);
      await vanish(account, key);
      const result = await enforcePlan(plan, options(account));
      expect(result.keys).toEqual([
        expect.objectContaining({ outcome: 'skipped', detail: 'the key no longer exists' }),
      ]);
      expect(account.tagsOf('ivan')).toEqual({ team: 'data' });
    });

    it('a user deleted meanwhile', async () => {
      const account = new FakeIamAccount().addUser('bob', [liveKey('bob', { ageDays: 120 })]);
      const plan = planFor(account, ['bob']);
      const emptied = new FakeIamAccount();
      const result = await enforcePlan(plan, options(emptied));
      expect(result.keys).toEqual([
        expect.objectContaining({ outcome: 'skipped', detail: 'the user no longer exists' }),
      ]);
    });
  });

  it('does not deactivate a key for being unused when it was used after the plan was made', async () => {
    const settings = { ...DEFAULT_SETTINGS, unusedDays: 30 };
    const key = liveKey('u', { ageDays: 60 });
    const account = new FakeIamAccount().addUser('u', [key]);
    const plan = planKeyActions({
      limits: NO_NIGHT_LIMITS,
      rows: [],
      users: [userFacts('u', [key], {}, [{ accessKeyId: key.accessKeyId, lastUsedDate: daysAgo(40) }])],
      settings,
      now: NOW,
    });
    account.setLastUse(key.accessKeyId, new Date(NOW.getTime() - 60_000));
    const result = await enforcePlan(plan, options(account));
    expect(result.keys).toEqual([
      expect.objectContaining({
        outcome: 'skipped',
        detail: 'it was used on 2026-11-23 02:59 UTC, after the plan was made',
      }),
    ]);
    expect(account.keysOf('u')[0]?.status).toBe('Active');
  });

  it('goes on with the other users when one user fails, and reports the failure', async () => {
    const account = new FakeIamAccount()
      .addUser('a', [liveKey('a', { ageDays: 120 })])
      .addUser('b', [liveKey('b', { ageDays: 120 })])
      .addUser('c', [liveKey('c', { ageDays: 120 })]);
    const plan = planFor(account, ['a', 'b', 'c']);
    account.failOn('listAccessKeys', 'b');
    const result = await enforcePlan(plan, options(account));
    expect(result.keys.map((k) => [k.decision.userName, k.outcome])).toEqual([
      ['a', 'done'],
      ['b', 'failed'],
      ['c', 'done'],
    ]);
    expect(result.keys[1]?.detail).toContain('live re-check failed');
  });

  it('goes on with the user’s other key when one change fails', async () => {
    const first = liveKey('u', { ageDays: 300 });
    const second = liveKey('u', { ageDays: 200 });
    const account = new FakeIamAccount().addUser('u', [first, second]);
    const plan = planFor(account, ['u']);
    account.failOn('deactivateAccessKey', first.accessKeyId);
    const result = await enforcePlan(plan, options(account));
    expect(result.keys.map((k) => k.outcome)).toEqual(['failed', 'done']);
    expect(account.keysOf('u').map((k) => k.status)).toEqual(['Active', 'Inactive']);
    // The failed key keeps its unconfirmed record until the next run finds it still active (and drops it).
    expect(account.tagsOf('u')).toEqual({
      [deactivatedTag(first.accessKeyId)]: ACTED_AT.toISOString(),
      [deactivatedTag(second.accessKeyId)]: deactivatedValue(ACTED_AT, true),
    });
  });

  it('reports a deactivation whose record could not be written as done, with the record failure', async () => {
    const account = new FakeIamAccount().addUser('bob', [liveKey('bob', { ageDays: 120 })]);
    const plan = planFor(account, ['bob']);
    account.failOn('tagUser', 'bob');
    const result = await enforcePlan(plan, options(account));
    expect(result.keys).toEqual([
      expect.objectContaining({
        outcome: 'done',
        detail: expect.stringContaining('the deactivation record failed'),
      }),
    ]);
    expect(account.keysOf('bob')[0]?.status).toBe('Inactive');
  });

  it('records the start of the grace period for a key found inactive, at the real time of the record', async () => {
    const key = liveKey('hank', { ageDays: 200, status: 'Inactive' });
    const account = new FakeIamAccount().addUser('hank', [key]);
    const result = await enforcePlan(planFor(account, ['hank']), options(account));
    expect(result.records).toEqual([expect.objectContaining({ outcome: 'done' })]);
    expect(account.tagsOf('hank')).toEqual({ [inactiveSinceTag(key.accessKeyId)]: ACTED_AT.toISOString() });
    expect(account.keysOf('hank')[0]?.status).toBe('Inactive');
  });

  it('replaces a stale record before writing the new deactivation record', async () => {
    const key = liveKey('u', { ageDays: 120 });
    const account = new FakeIamAccount().addUser('u', [key], {
      [deactivatedTag(key.accessKeyId)]: daysAgo(200).toISOString(),
    });
    await enforcePlan(planFor(account, ['u']), options(account));
    expect(account.tagsOf('u')).toEqual({
      [deactivatedTag(key.accessKeyId)]: deactivatedValue(ACTED_AT, true),
    });
  });

  it.each([
    { mode: 'a dry run', overrides: { dryRun: true }, outcome: 'dry-run' },
    {
      mode: 'a tripped guard',
      overrides: { guard: { tripped: true, keysNeedingAction: 2, keysInAccount: 2, reason: 'every key' } },
      outcome: 'held-by-guard',
    },
  ] as const)('changes and records nothing in $mode', async ({ overrides, outcome }) => {
    const account = new FakeIamAccount()
      .addUser('bob', [liveKey('bob', { ageDays: 120 })])
      .addUser('hank', [liveKey('hank', { ageDays: 200, status: 'Inactive' })]);
    const plan = planFor(account, ['bob', 'hank']);
    account.calls.length = 0;
    const result = await enforcePlan(plan, options(account, overrides));
    expect(account.calls).toEqual([]);
    expect(result.keys.map((k) => k.outcome)).toEqual([outcome]);
    expect(result.records.map((r) => r.outcome)).toEqual([outcome]);
  });

  it('reports warnings, exemptions and held keys without calling IAM', async () => {
    const account = new FakeIamAccount()
      .addUser('nina', [liveKey('nina', { ageDays: 80 })])
      .addUser('eve', [liveKey('eve', { ageDays: 300 })], { 'key-hygiene:exempt': 'true' });
    const plan = planFor(account, ['nina', 'eve']);
    account.calls.length = 0;
    const result = await enforcePlan(plan, options(account));
    expect(result.keys.map((k) => [k.decision.decision, k.outcome])).toEqual([
      ['warn', 'reported'],
      ['exempt', 'reported'],
    ]);
    expect(account.calls).toEqual([]);
  });
});

describe('enforcePlan within the per-night limits', () => {
  it('acts on tonight’s share only, the most overdue first, and reports the rest as waiting', async () => {
    const account = new FakeIamAccount()
      .addUser('a', [liveKey('a', { ageDays: 95 })])
      .addUser('b', [liveKey('b', { ageDays: 300 })])
      .addUser('c', [liveKey('c', { ageDays: 150 })]);
    const plan = planFor(account, ['a', 'b', 'c'], DEFAULT_SETTINGS, { deactivations: 2, deletions: 2 });

    const result = await enforcePlan(plan, options(account));

    const outcomes = Object.fromEntries(result.keys.map((k) => [k.decision.userName, k.outcome]));
    expect(outcomes).toEqual({ a: 'waiting', b: 'done', c: 'done' });
    expect(account.keysOf('a')[0]?.status).toBe('Active');
    expect(account.callsOf('listAccessKeys').sort()).toEqual(['b', 'c']);
    expect(result.keys.find((k) => k.outcome === 'waiting')?.detail).toBe(
      'left for a later night by MAX_DEACTIVATIONS_PER_NIGHT, the most overdue first: expected on 2026-11-24',
    );
  });

  it('says a key waits while its limit is 0', async () => {
    const inactive = liveKey('d', { ageDays: 300, status: 'Inactive' });
    const account = new FakeIamAccount().addUser('d', [inactive], {
      [deactivatedTag(inactive.accessKeyId)]: deactivatedValue(daysAgo(31), true),
    });
    const plan = planFor(account, ['d'], DEFAULT_SETTINGS, { deactivations: 5, deletions: 0 });
    account.calls.length = 0;

    const result = await enforcePlan(plan, options(account));

    expect(result.keys).toEqual([
      expect.objectContaining({
        outcome: 'waiting',
        detail: 'left for a later night: MAX_DELETIONS_PER_NIGHT is 0',
      }),
    ]);
    expect(account.calls).toEqual([]);
  });

  it('reports waiting keys as waiting in a dry run, and holds every due key when the guard trips', async () => {
    const account = new FakeIamAccount()
      .addUser('a', [liveKey('a', { ageDays: 95 })])
      .addUser('b', [liveKey('b', { ageDays: 300 })]);
    const plan = planFor(account, ['a', 'b'], DEFAULT_SETTINGS, { deactivations: 1, deletions: 1 });
    const tripped = { tripped: true, keysNeedingAction: 2, keysInAccount: 2, reason: 'every key' };

    const dry = await enforcePlan(plan, options(account, { dryRun: true }));
    const held = await enforcePlan(plan, options(account, { guard: tripped }));

    const outcomes = (keys: typeof dry.keys) =>
      Object.fromEntries(keys.map((k) => [k.decision.userName, k.outcome]));
    expect(outcomes(dry.keys)).toEqual({ a: 'waiting', b: 'dry-run' });
    expect(outcomes(held.keys)).toEqual({ a: 'held-by-guard', b: 'held-by-guard' });
    expect(account.keysOf('a')[0]?.status).toBe('Active');
    expect(account.keysOf('b')[0]?.status).toBe('Active');
  });
});
