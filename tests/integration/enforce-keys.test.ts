import { TagUserCommand } from '@aws-sdk/client-iam';
import { describe, expect, it, vi } from 'vitest';
import { type DemoAccount, seedDemoAccount } from '../../scripts/demo-account.ts';
import { ConfigError, InvalidEventError } from '../../shared/kernel/errors.ts';
import { addDays } from '../../shared/kernel/time.ts';
import {
  deactivatedTag,
  deactivatedValue,
  inactiveSinceTag,
} from '../../shared/key-enforcement/key-records.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { captureAuditEvents } from '../helpers/audit-capture.ts';
import { captureEmbeddedMetrics } from '../helpers/embedded-metrics.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceKeysHandler } from '../helpers/lambda.ts';

const { endpoint, control, env } = useEmulator();

async function seed(now = new Date()): Promise<DemoAccount> {
  return seedDemoAccount(iamClient(), control, now);
}

function keyOf(account: DemoAccount, scenario: keyof DemoAccount['users'], index = 0): string {
  const key = account.users[scenario].keys[index];
  if (key === undefined) throw new Error(`${scenario} has no key ${index}`);
  return key.accessKeyId;
}

describe('enforceKeys against the emulated account', () => {
  it('deactivates overdue keys, deletes keys past their grace period and leaves the rest, key by key', async () => {
    const demo = await seed();
    const run = await loadEnforceKeysHandler();
    const summary = await run({});
    const after = await snapshotAccount(iamClient());
    const status = (user: string, accessKeyId: string) =>
      after[user]?.keys.find((key) => key.accessKeyId === accessKeyId)?.status ?? 'deleted';
    const { users } = demo;

    expect(status(users.overdue.userName, keyOf(demo, 'overdue'))).toBe('Inactive');
    expect(after[users.overdue.userName]?.tags[deactivatedTag(keyOf(demo, 'overdue'))]).toBeDefined();
    expect(status(users.exemptionExpired.userName, keyOf(demo, 'exemptionExpired'))).toBe('Inactive');
    expect(status(users.withEmail.userName, keyOf(demo, 'withEmail'))).toBe('Inactive');
    // The two-key user: the new key was created first, so the old key sits in the second report slot.
    const twoKeys = users.twoKeys.keys.map((key) => [
      key.accessKeyId,
      status(users.twoKeys.userName, key.accessKeyId),
    ]);
    expect(twoKeys).toEqual(
      users.twoKeys.keys.map((key) => [
        key.accessKeyId,
        key.createDate < addDays(new Date(), -90) ? 'Inactive' : 'Active',
      ]),
    );
    expect(twoKeys.map(([, s]) => s).sort()).toEqual(['Active', 'Inactive']);

    expect(status(users.fresh.userName, keyOf(demo, 'fresh'))).toBe('Active');
    expect(status(users.nearlyDue.userName, keyOf(demo, 'nearlyDue'))).toBe('Active');
    expect(status(users.dueTomorrow.userName, keyOf(demo, 'dueTomorrow'))).toBe('Active');
    expect(status(users.exempt.userName, keyOf(demo, 'exempt'))).toBe('Active');
    expect(status(users.exemptionFuture.userName, keyOf(demo, 'exemptionFuture'))).toBe('Active');

    expect(status(users.deactivatedGraceOver.userName, keyOf(demo, 'deactivatedGraceOver'))).toBe('deleted');
    expect(after[users.deactivatedGraceOver.userName]?.tags).toEqual({});
    expect(status(users.deactivatedInGrace.userName, keyOf(demo, 'deactivatedInGrace'))).toBe('Inactive');
    expect(status(users.deactivatedByHand.userName, keyOf(demo, 'deactivatedByHand'))).toBe('Inactive');
    expect(
      after[users.deactivatedByHand.userName]?.tags[inactiveSinceTag(keyOf(demo, 'deactivatedByHand'))],
    ).toBeDefined();

    expect(summary.decisions).toMatchObject({ deactivate: 4, delete: 1, warn: 2, exempt: 2 });
    expect(summary.outcomes).toMatchObject({ done: 5, failed: 0, skipped: 0 });
    const row = summary.keys.find((key) => key.accessKeyId === keyOf(demo, 'overdue'));
    expect(row).toMatchObject({
      userName: users.overdue.userName,
      ageDays: 120,
      decision: 'deactivate',
      outcome: 'done',
    });
    expect(row?.reason).toBe('active key 120 days old, limit 90: deactivate');
  });

  it('changes nothing more when run again, as after a Lambda retry', async () => {
    await seed();
    const run = await loadEnforceKeysHandler();
    await run({});
    const afterFirst = await snapshotAccount(iamClient());
    const second = await run({});
    expect(await snapshotAccount(iamClient())).toEqual(afterFirst);
    expect(second.outcomes.done).toBe(0);
    expect(second.decisions).toMatchObject({ deactivate: 0, delete: 0 });
  });

  it('reports the same decisions and changes nothing in a dry run', async () => {
    await seed();
    const before = await snapshotAccount(iamClient());
    const summary = await (await loadEnforceKeysHandler({ DRY_RUN: 'true' }))({});
    expect(await snapshotAccount(iamClient())).toEqual(before);
    expect(summary.dryRun).toBe(true);
    expect(summary.decisions).toMatchObject({ deactivate: 4, delete: 1 });
    expect(summary.outcomes).toMatchObject({ 'dry-run': 5, done: 0 });
  });

  it('runs dry when the invocation asks for it', async () => {
    await seed();
    const before = await snapshotAccount(iamClient());
    const summary = await (await loadEnforceKeysHandler())({ dryRun: true });
    expect(summary.dryRun).toBe(true);
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it('deactivates at most MAX_DEACTIVATIONS_PER_NIGHT, the most overdue first, and leaves the rest waiting', async () => {
    const demo = await seed();
    const summary = await (await loadEnforceKeysHandler({ MAX_DEACTIVATIONS_PER_NIGHT: '2' }))({});
    const after = await snapshotAccount(iamClient());
    const status = (scenario: keyof DemoAccount['users'], index = 0) =>
      after[demo.users[scenario].userName]?.keys.find(
        (key) => key.accessKeyId === keyOf(demo, scenario, index),
      )?.status;

    // Overdue: tara's old key (200 days), xena (150), bob (120), emma (95); the two oldest go tonight.
    expect([
      status('twoKeys', 1),
      status('exemptionExpired'),
      status('overdue'),
      status('withEmail'),
    ]).toEqual(['Inactive', 'Inactive', 'Active', 'Active']);
    expect(summary.guard.tripped).toBe(false);
    expect(summary.outcomes).toMatchObject({ done: 3, waiting: 2 });
    expect(summary.budget.deactivate).toEqual({
      limit: 2,
      due: 4,
      tonight: 2,
      waiting: 2,
      remaining: 2,
      clearsOn: addDays(new Date(summary.decidedAt), 1).toISOString().slice(0, 10),
    });
    expect(summary.keys.filter((key) => key.outcome === 'waiting').map((key) => key.userName)).toEqual([
      demo.users.overdue.userName,
      demo.users.withEmail.userName,
    ]);
  });

  it('refuses a bad night limit, or the retired MAX_ACTIONS_PER_RUN, at start, naming the variable, and changes nothing', async () => {
    await seed();
    const before = await snapshotAccount(iamClient());
    for (const [variable, value, message] of [
      [
        'MAX_DEACTIVATIONS_PER_NIGHT',
        'lots',
        'MAX_DEACTIVATIONS_PER_NIGHT: must be a whole number from 0 to 5000 (got "lots")',
      ],
      [
        'MAX_DELETIONS_PER_NIGHT',
        '-1',
        'MAX_DELETIONS_PER_NIGHT: must be a whole number from 0 to 5000 (got "-1")',
      ],
      [
        'KEY_FIRST_NOTICE_DAYS',
        'a week',
        'KEY_FIRST_NOTICE_DAYS: must be a whole number from 0 to 90 (got "a week")',
      ],
      [
        'MAX_ACTIONS_PER_RUN',
        '50',
        'MAX_ACTIONS_PER_RUN: is retired: set MAX_DEACTIVATIONS_PER_NIGHT and MAX_DELETIONS_PER_NIGHT instead',
      ],
    ]) {
      vi.unstubAllEnvs();
      for (const [name, setting] of Object.entries(env)) vi.stubEnv(name, setting);
      await expect(loadEnforceKeysHandler({ [variable as string]: value as string })).rejects.toMatchObject({
        name: ConfigError.name,
        message: expect.stringContaining(message as string),
      });
    }
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it('forecasts with KEY_HYGIENE_NOW: keys due by then, and the grace period counted to then', async () => {
    const demo = await seed();
    const inFiveWeeks = addDays(new Date(), 35).toISOString();
    const forecast = async (settings: Record<string, string>) => {
      const summary = await (
        await loadEnforceKeysHandler({ KEY_HYGIENE_NOW: inFiveWeeks, DRY_RUN: 'true', ...settings })
      )({});
      return (scenario: keyof DemoAccount['users']) =>
        summary.keys.find((key) => key.accessKeyId === keyOf(demo, scenario));
    };

    // Keys judged at their own deadlines (no first notices).
    const atDeadline = await forecast({ KEY_FIRST_NOTICE_DAYS: '0' });
    expect(atDeadline('nearlyDue')?.decision).toBe('deactivate');
    expect(atDeadline('dueTomorrow')?.decision).toBe('deactivate');
    expect(atDeadline('deactivatedInGrace')?.decision).toBe('delete');
    expect(atDeadline('exemptionFuture')?.decision).toBe('deactivate');

    // With first notices (the default): the warned key is due; a key never warned gets its first notice,
    // because a forecast does not replay the nights in between, which would have warned it.
    const withNotices = await forecast({ KEY_FIRST_NOTICE_DAYS: '' });
    expect(withNotices('dueTomorrow')?.decision).toBe('deactivate');
    expect(withNotices('deactivatedInGrace')?.decision).toBe('delete');
    expect(withNotices('nearlyDue')).toMatchObject({
      decision: 'warn',
      reason: expect.stringMatching(/^first notice: will be deactivated on \d{4}-\d{2}-\d{2} \(in 7 days\)/),
    });
  });

  it('deletes a key the run deactivated once its grace period has passed', async () => {
    const demo = await seed();
    const started = new Date();
    await (await loadEnforceKeysHandler())({});
    const { userName } = demo.users.overdue;
    const record = (await snapshotAccount(iamClient()))[userName]?.tags[
      deactivatedTag(keyOf(demo, 'overdue'))
    ];
    // The record carries the real time of the deactivation, confirmed; moved back 31 days, as if 31 nights
    // had passed.
    expect(record).toMatch(/ confirmed$/);
    const deactivatedAt = new Date((record ?? '').replace(/ confirmed$/, ''));
    expect(deactivatedAt.getTime()).toBeGreaterThanOrEqual(started.getTime());
    await iamClient().send(
      new TagUserCommand({
        UserName: userName,
        Tags: [
          {
            Key: deactivatedTag(keyOf(demo, 'overdue')),
            Value: deactivatedValue(addDays(deactivatedAt, -31), true),
          },
        ],
      }),
    );
    const summary = await (await loadEnforceKeysHandler())({});
    const after = await snapshotAccount(iamClient());
    expect(after[userName]?.keys).toEqual([]);
    expect(after[userName]?.tags).toEqual({});
    expect(summary.keys.find((key) => key.accessKeyId === keyOf(demo, 'overdue'))).toMatchObject({
      decision: 'delete',
      outcome: 'done',
    });
  });

  it('refuses KEY_HYGIENE_NOW at start in a run that changes keys, naming it, and changes nothing', async () => {
    await seed();
    const before = await snapshotAccount(iamClient());
    for (const clock of [addDays(new Date(), -31), addDays(new Date(), 35)]) {
      await expect(loadEnforceKeysHandler({ KEY_HYGIENE_NOW: clock.toISOString() })).rejects.toMatchObject({
        name: ConfigError.name,
        message: expect.stringContaining(
          `KEY_HYGIENE_NOW (${clock.toISOString()}) is allowed only with DRY_RUN=true`,
        ),
      });
    }
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it('records the real time of each change: the deactivation and the start of a grace period', async () => {
    const demo = await seed();
    const started = new Date();
    await (await loadEnforceKeysHandler())({});
    const ended = new Date();
    const after = await snapshotAccount(iamClient());
    const times = [
      after[demo.users.overdue.userName]?.tags[deactivatedTag(keyOf(demo, 'overdue'))],
      after[demo.users.deactivatedByHand.userName]?.tags[inactiveSinceTag(keyOf(demo, 'deactivatedByHand'))],
    ].map((value) => Date.parse((value ?? '').replace(/ confirmed$/, '')));
    for (const time of times) {
      expect(time).toBeGreaterThanOrEqual(started.getTime());
      expect(time).toBeLessThanOrEqual(ended.getTime());
    }
  });

  it('publishes each change and the run summary to the configured EventBridge bus', async () => {
    await seed();
    const capture = await captureAuditEvents(endpoint);

    const summary = await (await loadEnforceKeysHandler({ EVENT_BUS_NAME: 'security-audit' }))({});
    expect(summary.audit).toEqual({ published: 6, failed: [] });
    const { events: received } = await capture.received(6);
    const types = received.map((event) => event['detail-type']).sort();
    expect(types).toEqual([
      'AccessKeyDeactivated',
      'AccessKeyDeactivated',
      'AccessKeyDeactivated',
      'AccessKeyDeactivated',
      'AccessKeyDeleted',
      'KeyEnforcementRunCompleted',
    ]);
  });

  it('reads a credential report dated when it was read, as AWS dates it: today (UTC)', async () => {
    const run = await loadEnforceKeysHandler();
    const started = new Date();
    const summary = await run({});
    const ended = new Date();

    // moto alone dates every report 2015-02-02T20:02:02Z; the harness dates it to the second it answers.
    const generatedAt = new Date(summary.reportGeneratedAt);
    expect(generatedAt.getTime()).toBeGreaterThanOrEqual(Math.floor(started.getTime() / 1000) * 1000);
    expect(generatedAt.getTime()).toBeLessThanOrEqual(ended.getTime());
    const today = [started, ended].map((instant) => instant.toISOString().slice(0, 10));
    expect(today).toContain(summary.reportGeneratedAt.slice(0, 10));
  });

  it('refuses a bad setting at start, naming the variable, and changes nothing', async () => {
    await seed();
    const before = await snapshotAccount(iamClient());
    // Each load is a fresh module graph (a cold start), so the error class is compared by name.
    await expect(loadEnforceKeysHandler({ KEY_MAX_AGE_DAYS: 'ninety' })).rejects.toMatchObject({
      name: ConfigError.name,
      message: expect.stringContaining(
        'KEY_MAX_AGE_DAYS: must be a whole number from 1 to 3650 (got "ninety")',
      ),
    });
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it('refuses a malformed event, naming the field, and changes nothing', async () => {
    await seed();
    const before = await snapshotAccount(iamClient());
    const run = await loadEnforceKeysHandler();
    await expect(run({ dryRun: 'yes' })).rejects.toMatchObject({
      name: InvalidEventError.name,
      message: expect.stringContaining('Invalid enforceKeys event: dryRun: must be true or false'),
    });
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it('writes the run’s counts as CloudWatch embedded metrics in the log', async () => {
    await seed();
    const handler = await loadEnforceKeysHandler({ POWERTOOLS_METRICS_DISABLED: 'false' });

    const { outcome, records } = await captureEmbeddedMetrics(() => handler({}));

    expect(outcome.status).toBe('fulfilled');
    const run = records.find((entry) => 'KeysDeactivated' in entry);
    expect(run).toMatchObject({ KeysDeactivated: 4, KeysDeleted: 1, KeysWarned: 2, GuardTrips: 0 });
    // The metrics are the returned summary's counts.
    const summary = outcome.status === 'fulfilled' ? outcome.value : undefined;
    expect(run).toMatchObject({
      KeysDeactivated: summary?.counts.deactivated,
      KeysDeleted: summary?.counts.deleted,
      KeysSkipped: summary?.counts.notNeeded,
      KeyActionsFailed: summary?.counts.failed,
      RunFailures: summary?.counts.failures,
    });
    expect(run?._aws.CloudWatchMetrics[0]?.Namespace).toBe('KeyHygiene');
  });

  it('acts on nothing when the account cannot be reached', async () => {
    const run = await loadEnforceKeysHandler({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    await expect(run({})).rejects.toThrow(/credential report/i);
  });
});
