import { describe, expect, it } from 'vitest';
import { type DemoAccount, seedDemoAccount } from '../../scripts/demo-account.ts';
import { ConfigError, InvalidEventError } from '../../shared/kernel/errors.ts';
import { addDays } from '../../shared/kernel/time.ts';
import { deactivatedTag, inactiveSinceTag } from '../../shared/key-enforcement/key-records.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { captureAuditEvents } from '../helpers/audit-capture.ts';
import { captureEmbeddedMetrics } from '../helpers/embedded-metrics.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceKeysHandler } from '../helpers/lambda.ts';

const { endpoint, control } = useEmulator();

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

  it('acts on none and ends normally when more actions are planned than MAX_ACTIONS_PER_RUN', async () => {
    await seed();
    const before = await snapshotAccount(iamClient());
    const summary = await (await loadEnforceKeysHandler({ MAX_ACTIONS_PER_RUN: '4' }))({});
    expect(await snapshotAccount(iamClient())).toEqual(before);
    expect(summary.guard).toEqual({ limit: 4, planned: 5, tripped: true });
    expect(summary.outcomes['held-by-guard']).toBe(5);
  });

  it('forecasts with KEY_HYGIENE_NOW: keys due by then, and the grace period counted to then', async () => {
    const demo = await seed();
    const inFiveWeeks = addDays(new Date(), 35).toISOString();
    const summary = await (await loadEnforceKeysHandler({ KEY_HYGIENE_NOW: inFiveWeeks, DRY_RUN: 'true' }))(
      {},
    );
    const decisionOf = (scenario: keyof DemoAccount['users']) =>
      summary.keys.find((key) => key.accessKeyId === keyOf(demo, scenario))?.decision;
    expect(decisionOf('nearlyDue')).toBe('deactivate');
    expect(decisionOf('dueTomorrow')).toBe('deactivate');
    expect(decisionOf('deactivatedInGrace')).toBe('delete');
    expect(decisionOf('exemptionFuture')).toBe('deactivate');
  });

  it('deletes a key the run deactivated once its grace period has passed', async () => {
    const demo = await seed();
    await (await loadEnforceKeysHandler())({});
    const later = addDays(new Date(), 31).toISOString();
    const summary = await (
      await loadEnforceKeysHandler({ KEY_HYGIENE_NOW: later, MAX_ACTIONS_PER_RUN: '50' })
    )({});
    const after = await snapshotAccount(iamClient());
    expect(after[demo.users.overdue.userName]?.keys).toEqual([]);
    expect(after[demo.users.overdue.userName]?.tags).toEqual({});
    expect(summary.keys.find((key) => key.accessKeyId === keyOf(demo, 'overdue'))).toMatchObject({
      decision: 'delete',
      outcome: 'done',
    });
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
