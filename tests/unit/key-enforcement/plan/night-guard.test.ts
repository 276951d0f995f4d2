import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../../../shared/credential-report/parse-report.ts';
import { accessKeysInReport, checkNight } from '../../../../shared/key-enforcement/plan/night-guard.ts';
import type { KeyDecision, KeyDecisionKind } from '../../../../shared/key-enforcement/types.ts';
import { reportCsv, reportTime } from '../../../helpers/credential-report-csv.ts';
import { daysAgo } from '../../../helpers/key-facts.ts';

function decisions(counts: Partial<Record<KeyDecisionKind | 'firstNotice', number>>): KeyDecision[] {
  return Object.entries(counts).flatMap(([kind, count]) =>
    Array.from(
      { length: count ?? 0 },
      (_, index): KeyDecision => ({
        userName: `${kind}-${index}`,
        accessKeyId: `AKIA${kind}${index}`,
        status: 'Active',
        createDate: daysAgo(120),
        ageDays: 120,
        decision: kind === 'firstNotice' ? 'warn' : (kind as KeyDecisionKind),
        reason: 'r',
        ...(kind === 'firstNotice' ? { firstNotice: true } : {}),
      }),
    ),
  );
}

const LIMITS = { deactivations: 10, deletions: 5 };

describe('checkNight', () => {
  it.each([
    { case: 'a quiet night', counts: { deactivate: 2, none: 98 }, keys: 100, tripped: false },
    {
      case: 'a busy night: a backlog, far from every key',
      counts: { deactivate: 400 },
      keys: 1000,
      tripped: false,
    },
    {
      case: 'every key due, within one night’s limits',
      counts: { deactivate: 10, delete: 5 },
      keys: 15,
      tripped: false,
    },
    {
      case: 'every key due, beyond the limits',
      counts: { deactivate: 12, delete: 5 },
      keys: 17,
      tripped: true,
    },
    { case: 'nine in ten keys at once', counts: { deactivate: 90 }, keys: 100, tripped: true },
    { case: 'just under nine in ten', counts: { deactivate: 89 }, keys: 100, tripped: false },
    {
      case: 'first notices to every key (a wrong KEY_MAX_AGE_DAYS)',
      counts: { firstNotice: 40 },
      keys: 40,
      tripped: true,
    },
    {
      case: 'deactivations, deletions and first notices together',
      counts: { deactivate: 30, delete: 30, firstNotice: 30 },
      keys: 100,
      tripped: true,
    },
    {
      case: 'warnings and exemptions do not count',
      counts: { warn: 50, exempt: 50 },
      keys: 100,
      tripped: false,
    },
    { case: 'an empty account', counts: {}, keys: 0, tripped: false },
  ])('is tripped: $tripped for $case', ({ counts, keys, tripped }) => {
    const guard = checkNight(decisions(counts), keys, LIMITS);

    expect(guard.tripped).toBe(tripped);
    expect(guard.reason !== undefined).toBe(tripped);
    expect(guard.keysInAccount).toBe(keys);
  });

  it('says why, with the counts, the limits and what may be wrong', () => {
    const guard = checkNight(decisions({ deactivate: 12, delete: 3, firstNotice: 3 }), 19, LIMITS);

    expect(guard).toEqual({
      tripped: true,
      keysNeedingAction: 18,
      keysInAccount: 19,
      reason:
        "18 of the account's 19 access keys need action tonight (12 deactivations, 3 deletions, 3 first notices): " +
        "every key at once (90% or more) and more than one night's limits (10 deactivations + 5 deletions). " +
        'A busy night works a backlog off over the nights ahead; every key at once looks like a wrong clock, a ' +
        'wrong KEY_MAX_AGE_DAYS, KEY_UNUSED_DAYS or KEY_INACTIVE_GRACE_DAYS, or a wrong report',
    });
  });
});

describe('accessKeysInReport', () => {
  it('counts the slots that hold a key, active or not, and never the root account’s', () => {
    const rows = parseCredentialReport(
      reportCsv([
        {
          user: '<root_account>',
          arn: 'arn:aws:iam::123456789012:root',
          access_key_1_active: 'true',
          access_key_1_last_rotated: reportTime(daysAgo(9)),
        },
        {
          user: 'two-keys',
          access_key_1_active: 'true',
          access_key_1_last_rotated: reportTime(daysAgo(5)),
          access_key_2_active: 'false',
          access_key_2_last_rotated: reportTime(daysAgo(200)),
        },
        { user: 'one-key', access_key_1_active: 'true', access_key_1_last_rotated: reportTime(daysAgo(50)) },
        { user: 'console-only' },
      ]),
    ).rows;

    expect(accessKeysInReport(rows)).toBe(3);
  });
});
