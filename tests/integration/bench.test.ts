import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { benchAccount } from '../../scripts/bench/bench-account.ts';
import type { RunMeasurement } from '../../scripts/bench/measure-in-child.ts';
import { runOrgBench } from '../../scripts/bench/org-bench.ts';
import { measureAccount } from '../../scripts/bench/run-bench.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';

// The bench at a tiny size, so that its counting, seeding and baseline cannot rot unnoticed. Each run is a
// fresh Node process against the shared emulator, as `npm run bench` makes them.
const { endpoint, control } = useEmulator();
const emulator = { endpoint, control };
// The clock the accounts are seeded at: the handler decides by the real clock, moments later.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

function counts(run: RunMeasurement | undefined): Record<string, number> {
  if (run === undefined) throw new Error('the run was not measured');
  return Object.fromEntries(run.requests.map((entry) => [`${entry.service}:${entry.action}`, entry.count]));
}

describe('the bench', () => {
  it('counts one ListUsers, a ListAccessKeys per user and a GetAccessKeyLastUsed per key for the naive scan', async () => {
    const account = benchAccount({ users: 17, duePercent: 12, now: NOW });
    // Users with no key and users with two make keys differ from users: the counts tell them apart.
    expect([account.keys, account.dueKeys]).toEqual([16, 2]);

    const { runs } = await measureAccount(emulator, account, ['naive']);

    expect(counts(runs.naive)).toEqual({
      'iam:ListUsers': 1,
      'iam:ListAccessKeys': 17,
      'iam:GetAccessKeyLastUsed': 16,
      'iam:UpdateAccessKey': 2,
    });
    expect(runs.naive).toMatchObject({
      totalRequests: 1 + 17 + 16 + 2,
      failedRequests: 0,
      reportWaitMs: 0,
      outcome: { kind: 'naive', users: 17, keys: 16, deactivated: 2 },
    });
  });

  it('makes the same requests with no key due, whatever the size of the account', async () => {
    const small = await measureAccount(emulator, benchAccount({ users: 20, duePercent: 0, now: NOW }), [
      'handler',
    ]);
    const large = await measureAccount(emulator, benchAccount({ users: 40, duePercent: 0, now: NOW }), [
      'handler',
    ]);

    expect(counts(large.runs.handler)).toEqual(counts(small.runs.handler));
    // The credential report, the account's alias (named in its mail) and the run's audit event, nothing per user.
    expect(Object.keys(counts(small.runs.handler)).sort()).toEqual([
      'events:PutEvents',
      'iam:GenerateCredentialReport',
      'iam:GetCredentialReport',
      'iam:ListAccountAliases',
    ]);
    expect(small.runs.handler?.outcome).toMatchObject({ usersInReport: 20, usersReviewed: 0, done: 0 });
    expect(large.runs.handler?.outcome).toMatchObject({ usersInReport: 40, usersReviewed: 0, done: 0 });
  });

  it('makes per-user requests for the users with a due key only, and deactivates their keys', async () => {
    const account = benchAccount({ users: 17, duePercent: 12, now: NOW });

    const { runs } = await measureAccount(emulator, account, ['handler']);

    const handler = counts(runs.handler);
    // Two TagUser per deactivation: the record before it, the record marked confirmed after it.
    expect(handler).toMatchObject({ 'iam:ListUserTags': 2, 'iam:UpdateAccessKey': 2, 'iam:TagUser': 4 });
    // Listed to plan, and possibly again for the live re-check before acting: never for the other 15 users.
    expect(handler['iam:ListAccessKeys']).toBeGreaterThanOrEqual(2);
    expect(handler['iam:ListAccessKeys']).toBeLessThanOrEqual(4);
    expect(runs.handler?.outcome).toMatchObject({
      usersInReport: 17,
      usersReviewed: 2,
      done: 2,
      failures: 0,
    });
    expect(runs.handler?.reportWaitMs).toBeGreaterThan(0);

    const iam = iamClient();
    const statuses = await Promise.all(
      account.users.map(async (user) => {
        const keys = await iam.send(new ListAccessKeysCommand({ UserName: user.userName }));
        return (keys.AccessKeyMetadata ?? []).filter((key) => key.Status === 'Inactive').length;
      }),
    );
    expect(statuses.reduce((total, inactive) => total + inactive, 0)).toBe(2);
  });

  it('refuses to report a run that did not deactivate the due keys', async () => {
    const account = benchAccount({ users: 17, duePercent: 12, now: NOW });
    // The account claims more due keys than it holds: the handler deactivates two, the check wants three.
    const claimsMore = { ...account, dueKeys: 3 };

    await expect(measureAccount(emulator, claimsMore, ['handler'])).rejects.toMatchObject({
      name: 'BenchRunError',
      message: expect.stringContaining('keys deactivated is 2, expected 3'),
    });
  });
});

describe('the organization bench', () => {
  it('runs the shipped state machine over every account at each concurrency, and sizes the digest', async () => {
    const results = await runOrgBench(
      emulator,
      { accounts: 2, usersPerAccount: 20, duePercent: 10, concurrencies: [2, 1], digestAccounts: 5 },
      NOW,
      () => {},
    );

    expect(results.dueKeysPerAccount).toBe(2);
    expect(results.nights.map((night) => [night.concurrency, night.accountsDone, night.deactivated])).toEqual(
      [
        [2, 2, 4],
        [1, 2, 4],
      ],
    );
    // The same requests whatever the concurrency: each account's, the invocations and the Map's S3 writes.
    expect(results.nights[0]?.requestsByService).toEqual(results.nights[1]?.requestsByService);
    expect(results.nights[0]?.requestsByService).toMatchObject({ lambda: 4, sts: 2, organizations: 1 });
    expect(results.perAccount.differences).toEqual([
      { action: 's3:PutObject', organization: 1, singleAccount: 0 },
      { action: 'sts:AssumeRole', organization: 1, singleAccount: 0 },
    ]);
    expect(results.digest.outcome).toEqual({ kind: 'org-digest', accounts: 2, mail: 'sent' });
    expect(results.atScale.accounts).toBe(5);
    // Five small accounts: the CSV of every key goes as it is.
    expect(results.atScale.attachment?.filename).toBe('key-inventory-organization-2026-11-30.csv');
    expect(results.atScale.attachment?.bytes).toBeGreaterThan(0);
    expect(results.atScale.largestStateBytes).toBeLessThan(results.atScale.payloadLimitBytes);
    expect(process.env.ORG_RESULTS_BUCKET).toBeUndefined();
    // Two nights, the digest and the single-account runs in fresh processes: a hang guard, not a speed check.
  }, 300_000);
});
