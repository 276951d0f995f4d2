import { describe, expect, it } from 'vitest';
import { BENCH_ENVIRONMENT, benchAccount, seedBenchAccount } from '../../../scripts/bench/bench-account.ts';
import { credentialReportCsv, liveFacts } from '../../../scripts/bench/parse-plan-timing.ts';
import type { EmulatorControl, SeedUserInput } from '../../../scripts/emulator/index.ts';
import { parseCredentialReport } from '../../../shared/credential-report/parse-report.ts';
import { loadKeyEnforcementConfig } from '../../../shared/key-enforcement/config.ts';
import { planKeyActions } from '../../../shared/key-enforcement/plan/plan-key-actions.ts';
import { selectUsersForReview } from '../../../shared/key-enforcement/plan/review-selection.ts';

const NOW = new Date('2026-11-23T03:00:00.500Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const { keyPolicy: settings, limits } = loadKeyEnforcementConfig(BENCH_ENVIRONMENT);

describe('benchAccount', () => {
  it.each([
    [100, 1, 1],
    [1000, 1, 10],
    [5000, 1, 50],
    [5000, 0, 0],
    [5000, 5, 250],
    [17, 12, 2],
    [1, 100, 1],
  ])('gives %i users with %d%% due exactly the rounded share of due keys', (users, duePercent, due) => {
    const account = benchAccount({ users, duePercent, now: NOW });
    const ages = account.users.flatMap((user) =>
      (user.keys ?? []).map((key) => (NOW.getTime() - key.createDate.getTime()) / DAY_MS),
    );

    expect(account.users).toHaveLength(users);
    expect(new Set(account.users.map((user) => user.userName)).size).toBe(users);
    expect(account.dueKeys).toBe(due);
    expect(ages.filter((age) => age > settings.maxAgeDays)).toHaveLength(due);
    expect(account.keys).toBe(ages.length);
    // No key in the warning window: a key is either due or needs no look at all.
    expect(ages.filter((age) => age > settings.maxAgeDays - settings.warningDays - 1 && age <= 90)).toEqual(
      [],
    );
  });

  it('mixes users without a key and users with two, as accounts do', () => {
    const account = benchAccount({ users: 100, duePercent: 1, now: NOW });
    const keyCounts = account.users.map((user) => user.keys?.length ?? 0);

    expect(keyCounts.filter((keys) => keys === 0)).toHaveLength(10);
    expect(keyCounts.filter((keys) => keys === 2)).toHaveLength(10);
    for (const user of account.users) {
      const [first, second] = user.keys ?? [];
      if (second !== undefined && first !== undefined) {
        expect(second.createDate.getTime()).toBeGreaterThan(first.createDate.getTime());
      }
      for (const key of user.keys ?? []) {
        expect(key.createDate.getUTCMilliseconds()).toBe(0);
        expect(key.lastUsed?.date.getTime()).toBeGreaterThanOrEqual(key.createDate.getTime());
      }
    }
  });

  it.each([
    [{ users: 0, duePercent: 1 }, /users must be a whole number from 1 to 5000 \(got 0\)/],
    [{ users: 5001, duePercent: 1 }, /users must be .* \(got 5001\)/],
    [{ users: 10.5, duePercent: 1 }, /users must be .* \(got 10.5\)/],
    [{ users: 10, duePercent: -1 }, /duePercent must be from 0 to 100 \(got -1\)/],
    [{ users: 10, duePercent: 101 }, /duePercent must be .* \(got 101\)/],
    [{ users: 10, duePercent: Number.NaN }, /duePercent must be .* \(got NaN\)/],
  ])('refuses %o, naming the option', (options, message) => {
    expect(() => benchAccount({ ...options, now: NOW })).toThrow(message);
  });
});

describe('the synthetic credential report', () => {
  it.each([
    [100, 1],
    [1000, 5],
    [5000, 0],
  ])(
    'of %i users with %d%% due reads as the service reads a report: it flags the due users only, and the plan deactivates their keys',
    (users, duePercent) => {
      const account = benchAccount({ users, duePercent, now: NOW });
      const rows = parseCredentialReport(credentialReportCsv(account)).rows;
      const flagged = selectUsersForReview(rows, settings, NOW);
      const plan = planKeyActions({ rows, users: liveFacts(account, flagged), settings, limits, now: NOW });

      expect(rows).toHaveLength(users + 1);
      expect(rows[0]?.isRoot).toBe(true);
      expect(flagged).toHaveLength(account.dueKeys);
      // A due user's second key, if any, is fresh: `none`.
      const acted = plan.decisions.filter((decision) => decision.decision !== 'none');
      expect(acted.map((decision) => decision.decision)).toEqual(
        Array.from({ length: account.dueKeys }, () => 'deactivate'),
      );
    },
  );

  it('gives every live key its own id', () => {
    const account = benchAccount({ users: 100, duePercent: 0, now: NOW });
    const ids = liveFacts(
      account,
      account.users.map((user) => user.userName),
    ).flatMap((user) => user.liveKeys.map((key) => key.accessKeyId));

    expect(ids).toHaveLength(account.keys);
    expect(new Set(ids).size).toBe(account.keys);
  });
});

describe('seedBenchAccount', () => {
  it('seeds in batches of 250 users, in order, reporting progress after each', async () => {
    const batches: SeedUserInput[][] = [];
    const control = {
      seedUsers: async (users: SeedUserInput[]) => {
        batches.push(users);
        return users.map((user) => ({ userName: user.userName, accessKeyIds: [] }));
      },
    } as unknown as EmulatorControl;
    const progress: [number, number][] = [];
    const account = benchAccount({ users: 600, duePercent: 1, now: NOW });

    const seeded = await seedBenchAccount(control, account, (done, total) => progress.push([done, total]));

    expect(batches.map((batch) => batch.length)).toEqual([250, 250, 100]);
    expect(batches.flat()).toEqual(account.users);
    expect(seeded.map((user) => user.userName)).toEqual(account.users.map((user) => user.userName));
    expect(progress).toEqual([
      [0, 600],
      [250, 600],
      [500, 600],
      [600, 600],
    ]);
  });
});
