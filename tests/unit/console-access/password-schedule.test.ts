import { describe, expect, it } from 'vitest';
import { PASSWORD_REMOVE_ON_TAG } from '../../../shared/console-access/console-records.ts';
import { schedulePasswords } from '../../../shared/console-access/plan/password-schedule.ts';
import type { PasswordDecision } from '../../../shared/console-access/types.ts';
import { addDays } from '../../../shared/kernel/time.ts';
import { daysAgo, NOW, SETTINGS } from '../../helpers/console-facts.ts';

/** A removal due tonight, its password due `overdueDays` ago. */
const removal = (userName: string, overdueDays: number): PasswordDecision => ({
  userName,
  decision: 'remove',
  reason: 'unused',
  dueDate: daysAgo(overdueDays),
  removalDate: daysAgo(overdueDays),
});

/** A first notice for a password due `overdueDays` ago (negative: due ahead). */
const firstNotice = (userName: string, overdueDays: number): PasswordDecision => ({
  userName,
  decision: 'warn',
  firstNotice: true,
  reason:
    'console password last used 2026-08-01, limit 45 days unused: overdue since 2026-09-15 and its owner never warned',
  dueDate: daysAgo(overdueDays),
  removalDate: daysAgo(overdueDays),
});

const settings = (limit: number, firstNoticeDays = 7) => ({
  ...SETTINGS,
  passwordRemovalsPerNight: limit,
  passwordFirstNoticeDays: firstNoticeDays,
});

describe('schedulePasswords', () => {
  it('tells a first notice a date at least PASSWORD_FIRST_NOTICE_DAYS out, at the start of that UTC day, and records it', () => {
    const { passwords, records } = schedulePasswords([firstNotice('uma', 30)], settings(20), NOW);

    const told = new Date('2026-11-30T00:00:00.000Z');
    expect(passwords[0]).toMatchObject({ removalDate: told, toldDate: told, warningStage: 7 });
    expect(passwords[0]?.reason).toMatch(
      /^first notice: will be removed on 2026-11-30 \(in 7 days\), not earlier; console password last used/,
    );
    expect(records).toEqual([
      {
        userName: 'uma',
        set: { [PASSWORD_REMOVE_ON_TAG]: `${told.toISOString()} for ${daysAgo(30).toISOString()}` },
        reason: 'record the removal date told on first notice',
      },
    ]);
  });

  it('sends a first notice whose date lies beyond every notice day all the same, at its days left', () => {
    const { passwords } = schedulePasswords([firstNotice('uma', 30)], settings(20, 30), NOW);
    expect(passwords[0]?.warningStage).toBe(30);
  });

  it('never tells a date before the password is due', () => {
    const dueIn = addDays(NOW, 6.96);
    const { passwords } = schedulePasswords([firstNotice('uma', -6.96)], settings(20), NOW);
    expect(passwords[0]?.toldDate).toEqual(dueIn);
  });

  it('spreads a backlog of first notices a limit per night, the most overdue the earliest', () => {
    const decisions = [firstNotice('a', 10), firstNotice('b', 300), firstNotice('c', 100)];
    const { passwords, budget } = schedulePasswords(decisions, settings(2), NOW);

    expect(passwords.map((decision) => [decision.userName, decision.toldDate?.toISOString()])).toEqual([
      ['a', '2026-12-01T00:00:00.000Z'],
      ['b', '2026-11-30T00:00:00.000Z'],
      ['c', '2026-11-30T00:00:00.000Z'],
    ]);
    // Told a date 8 days out: sent as the 14-day notice, so the 7-day one follows.
    expect(passwords[0]?.warningStage).toBe(14);
    expect(budget).toEqual({
      limit: 2,
      due: 0,
      tonight: 0,
      waiting: 0,
      remaining: 3,
      clearsOn: '2026-12-01',
    });
  });

  it("leaves removals beyond tonight's limit for the nights ahead, the most overdue first", () => {
    const decisions = [removal('a', 1), removal('b', 50), removal('c', 20)];
    const { passwords, budget } = schedulePasswords(decisions, settings(2), NOW);

    expect(passwords.map((decision) => [decision.userName, decision.waits])).toEqual([
      ['a', { until: addDays(NOW, 1) }],
      ['b', undefined],
      ['c', undefined],
    ]);
    expect(budget).toEqual({
      limit: 2,
      due: 3,
      tonight: 2,
      waiting: 1,
      remaining: 1,
      clearsOn: '2026-11-24',
    });
  });

  it('with PASSWORD_REMOVALS_PER_NIGHT 0, removes none and gives no clear date', () => {
    const { passwords, budget } = schedulePasswords([removal('a', 1)], settings(0), NOW);
    expect(passwords[0]?.waits).toEqual({});
    expect(budget).toEqual({ limit: 0, due: 1, tonight: 0, waiting: 1, remaining: 1 });
  });

  it('records nothing and changes nothing for a plan without first notices', () => {
    const decisions: PasswordDecision[] = [{ userName: 'a', decision: 'none', reason: 'used' }];
    expect(schedulePasswords(decisions, settings(20), NOW)).toEqual({
      passwords: decisions,
      records: [],
      budget: { limit: 20, due: 0, tonight: 0, waiting: 0, remaining: 0 },
    });
  });
});
