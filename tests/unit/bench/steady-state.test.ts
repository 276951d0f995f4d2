import { describe, expect, it } from 'vitest';
import { nightFigures, rotates, spread, steadyStateAccount } from '../../../scripts/bench/steady-state.ts';
import { handlerRun } from '../../helpers/bench-fixtures.ts';

const NOW = new Date('2026-11-23T03:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

describe('the steady-state account', () => {
  const users = steadyStateAccount({ users: 1000, now: NOW });

  it('has a tenth console-only, a tenth with a second younger key, keys created over the last 90 days', () => {
    expect(users).toHaveLength(1000);
    expect(users.filter((user) => user.console === true && (user.keys ?? []).length === 0)).toHaveLength(100);
    const twoKeys = users.filter((user) => (user.keys ?? []).length === 2);
    expect(twoKeys).toHaveLength(100);
    for (const user of twoKeys) {
      const [first, second] = user.keys ?? [];
      expect(second?.createDate.getTime()).toBeGreaterThan(first?.createDate.getTime() ?? 0);
    }
    const ages = users
      .flatMap((user) => (user.keys ?? []).slice(0, 1))
      .map((key) => (NOW.getTime() - key.createDate.getTime()) / DAY_MS);
    expect(Math.min(...ages)).toBeGreaterThan(0);
    expect(Math.max(...ages)).toBeLessThan(90);
    // Evenly: each 10-day band holds about a ninth of the first keys.
    for (let band = 0; band < 9; band += 1) {
      const inBand = ages.filter((age) => age >= band * 10 && age < (band + 1) * 10).length;
      expect(inBand).toBeGreaterThan(900 / 9 - 15);
      expect(inBand).toBeLessThan(900 / 9 + 15);
    }
  });

  it('is the same for the same options, and rotates half the owners by position', () => {
    expect(steadyStateAccount({ users: 1000, now: NOW })).toEqual(users);
    expect(rotates('steady-00001')).toBe(true);
    expect(rotates('steady-00002')).toBe(false);
    expect(users.filter((user) => rotates(user.userName))).toHaveLength(500);
  });

  it('refuses a size outside IAM’s limits', () => {
    expect(() => steadyStateAccount({ users: 0, now: NOW })).toThrow(RangeError);
    expect(() => steadyStateAccount({ users: 5001, now: NOW })).toThrow(RangeError);
  });
});

describe('a night’s figures', () => {
  it('count the naive scan by the account and the floor by who was changed or told', () => {
    const run = handlerRun(0, {
      usersInReport: 100,
      keysInAccount: 95,
      changed: [
        { userName: 'a', accessKeyId: 'K1', decision: 'deactivate' },
        { userName: 'a', accessKeyId: 'K2', decision: 'delete' },
        { userName: 'b', accessKeyId: 'K3', decision: 'delete' },
      ],
      told: [
        { userName: 'a', keys: ['K1', 'K2'] },
        { userName: 'c', keys: ['K4'] },
      ],
    });
    run.requests = [
      { service: 'iam', action: 'GenerateCredentialReport', count: 2, errors: 0, totalMs: 1 },
      { service: 'iam', action: 'GetCredentialReport', count: 1, errors: 0, totalMs: 1 },
      { service: 'iam', action: 'ListAccessKeys', count: 5, errors: 0, totalMs: 1 },
      { service: 'events', action: 'PutEvents', count: 1, errors: 0, totalMs: 1 },
    ];
    const night = nightFigures(2, run);
    expect(night.naiveIam).toBe(1 + 100 + 95 + 3);
    // The report's 3, then a: read + 2 changes + write, b: read + 1 change + write, c: read + write.
    expect(night.floorIam).toBe(3 + 4 + 3 + 2);
    // IAM only: the audit event's PutEvents is not counted.
    expect(night.handlerIam).toBe(8);
    expect(night).toMatchObject({ changes: 3, deactivated: 1, deleted: 2, usersTold: 2 });
  });

  it('spread to mean, least and most', () => {
    expect(spread([3, 1, 2])).toEqual({ mean: 2, min: 1, max: 3 });
    expect(spread([])).toEqual({ mean: 0, min: 0, max: 0 });
  });
});
