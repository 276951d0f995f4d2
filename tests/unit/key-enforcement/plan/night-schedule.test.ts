import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../shared/kernel/time.ts';
import { scheduleNights } from '../../../../shared/key-enforcement/plan/night-schedule.ts';
import type { KeyDecision, KeyDecisionKind } from '../../../../shared/key-enforcement/types.ts';
import { NOW } from '../../../helpers/key-facts.ts';

/** A decision of the given kind, due (or falling due) `dueInDays` from NOW: negative is overdue. */
function decision(
  id: string,
  kind: KeyDecisionKind,
  dueInDays: number,
  extra: Partial<KeyDecision> = {},
): KeyDecision {
  const due = addDays(NOW, dueInDays);
  return {
    userName: `user-${id}`,
    accessKeyId: id,
    status: kind === 'delete' ? 'Inactive' : 'Active',
    createDate: addDays(NOW, -200),
    ageDays: 200,
    decision: kind,
    reason: 'r',
    ...(kind === 'delete' ? { deletionDate: due } : { deactivationDate: due }),
    ...extra,
  };
}

const overdue = (count: number, kind: 'deactivate' | 'delete', prefix = kind) =>
  Array.from({ length: count }, (_, index) => decision(`${prefix}-${index}`, kind, -(index + 1)));

describe('scheduleNights: tonight within the limit, the most overdue first', () => {
  it.each([
    { case: 'nothing due', deactivations: 0, limit: 10, tonight: 0, waiting: 0, clearsOn: undefined },
    {
      case: 'fewer due than the limit',
      deactivations: 3,
      limit: 10,
      tonight: 3,
      waiting: 0,
      clearsOn: undefined,
    },
    { case: 'exactly the limit', deactivations: 10, limit: 10, tonight: 10, waiting: 0, clearsOn: undefined },
    {
      case: 'one more than the limit',
      deactivations: 11,
      limit: 10,
      tonight: 10,
      waiting: 1,
      clearsOn: '2026-11-24',
    },
    {
      case: 'three nights of work',
      deactivations: 30,
      limit: 10,
      tonight: 10,
      waiting: 20,
      clearsOn: '2026-11-25',
    },
    { case: 'a limit of 1', deactivations: 4, limit: 1, tonight: 1, waiting: 3, clearsOn: '2026-11-26' },
    { case: 'a limit of 0', deactivations: 4, limit: 0, tonight: 0, waiting: 4, clearsOn: undefined },
  ])('$case: $tonight tonight, $waiting waiting, clears on $clearsOn', (row) => {
    const schedule = scheduleNights(
      overdue(row.deactivations, 'deactivate'),
      { deactivations: row.limit, deletions: 5 },
      NOW,
      7,
    );

    expect(schedule.budget.deactivate).toEqual({
      limit: row.limit,
      due: row.deactivations,
      tonight: row.tonight,
      waiting: row.waiting,
      remaining: row.waiting,
      ...(row.clearsOn === undefined ? {} : { clearsOn: row.clearsOn }),
    });
    expect(schedule.waiting.size).toBe(row.waiting);
  });

  it('acts tonight on the most overdue keys and gives each waiting key the night expected', () => {
    const decisions = [
      decision('a', 'deactivate', -1),
      decision('b', 'deactivate', -300),
      decision('c', 'deactivate', -20),
      decision('d', 'deactivate', -5),
    ];

    const schedule = scheduleNights(decisions, { deactivations: 2, deletions: 2 }, NOW, 7);

    expect([...schedule.waiting.entries()]).toEqual([
      ['a', { until: addDays(NOW, 1) }],
      ['d', { until: addDays(NOW, 1) }],
    ]);
  });

  it('limits deletions on their own, and says a key waits with no night while its limit is 0', () => {
    const decisions = [...overdue(3, 'deactivate'), ...overdue(3, 'delete')];

    const limited = scheduleNights(decisions, { deactivations: 5, deletions: 1 }, NOW, 7);
    const paused = scheduleNights(decisions, { deactivations: 5, deletions: 0 }, NOW, 7);

    expect(limited.budget).toMatchObject({
      deactivate: { due: 3, tonight: 3, waiting: 0 },
      delete: { due: 3, tonight: 1, waiting: 2, clearsOn: '2026-11-25' },
    });
    // delete-2 is the most overdue (3 days): tonight; delete-1 tomorrow; delete-0 the night after.
    expect(limited.waiting.get('delete-2')).toBeUndefined();
    expect(limited.waiting.get('delete-0')).toEqual({ until: addDays(NOW, 2) });
    expect(paused.budget.delete).toEqual({ limit: 0, due: 3, tonight: 0, waiting: 3, remaining: 3 });
    expect(paused.waiting.get('delete-0')).toEqual({});
  });

  it('leaves warnings, exemptions and keys with nothing due out of the count', () => {
    const decisions = [
      decision('w', 'warn', 3),
      decision('e', 'exempt', -30),
      decision('s', 'hold', -30),
      decision('n', 'none', 40),
    ];

    const schedule = scheduleNights(decisions, { deactivations: 1, deletions: 1 }, NOW, 7);

    expect(schedule.budget.deactivate).toEqual({ limit: 1, due: 0, tonight: 0, waiting: 0, remaining: 0 });
    expect(schedule.waiting.size).toBe(0);
  });
});

describe('scheduleNights: first notices', () => {
  const firstNotices = (count: number) =>
    Array.from({ length: count }, (_, index) =>
      decision(`f${String(index).padStart(2, '0')}`, 'warn', -(100 - index), { firstNotice: true }),
    );

  it.each([
    { case: 'fewer than a night’s limit', count: 4, limit: 10, days: 7, told: { '2026-11-30': 4 } },
    {
      case: 'three nights’ worth',
      count: 25,
      limit: 10,
      days: 7,
      told: { '2026-11-30': 10, '2026-12-01': 10, '2026-12-02': 5 },
    },
    {
      case: 'a 3-day notice',
      count: 12,
      limit: 5,
      days: 3,
      told: { '2026-11-26': 5, '2026-11-27': 5, '2026-11-28': 2 },
    },
    { case: 'a limit of 0 (no night is given)', count: 3, limit: 0, days: 7, told: { '2026-11-30': 3 } },
  ])('tells $case a date at least the notice days out, a limit per night', ({ count, limit, days, told }) => {
    const schedule = scheduleNights(firstNotices(count), { deactivations: limit, deletions: 1 }, NOW, days);

    const perDay: Record<string, number> = {};
    for (const date of schedule.toldDates.values()) {
      expect(date.toISOString()).toMatch(/T00:00:00\.000Z$/);
      const day = date.toISOString().slice(0, 10);
      perDay[day] = (perDay[day] ?? 0) + 1;
    }
    expect(perDay).toEqual(told);
    expect(schedule.budget.deactivate.remaining).toBe(count);
    expect(schedule.budget.deactivate.due).toBe(0);
  });

  it('tells the most overdue keys the earliest dates', () => {
    const schedule = scheduleNights(firstNotices(4), { deactivations: 2, deletions: 1 }, NOW, 7);

    // f00 is the most overdue (100 days), f03 the least (97 days).
    expect(Object.fromEntries([...schedule.toldDates].map(([id, date]) => [id, date.toISOString()]))).toEqual(
      {
        f00: '2026-11-30T00:00:00.000Z',
        f01: '2026-11-30T00:00:00.000Z',
        f02: '2026-12-01T00:00:00.000Z',
        f03: '2026-12-01T00:00:00.000Z',
      },
    );
  });

  it('fits first notices around nights already taken by keys due then, and forecasts the whole backlog', () => {
    const decisions = [
      // Due tonight beyond the limit: they spill over the next nights.
      ...overdue(25, 'deactivate'),
      // Told earlier, due in 7 nights (2026-11-30): two of that night's places.
      decision('told-1', 'warn', 6.9, { toldDate: addDays(NOW, 6.9) }),
      decision('told-2', 'warn', 6.9, { toldDate: addDays(NOW, 6.9) }),
      ...firstNotices(10),
    ];

    const schedule = scheduleNights(decisions, { deactivations: 10, deletions: 1 }, NOW, 7);

    const days = [...schedule.toldDates.values()].map((date) => date.toISOString().slice(0, 10));
    expect(days.filter((day) => day === '2026-11-30')).toHaveLength(8);
    expect(days.filter((day) => day === '2026-12-01')).toHaveLength(2);
    expect(schedule.budget.deactivate).toEqual({
      limit: 10,
      due: 25,
      tonight: 10,
      waiting: 15,
      remaining: 15 + 2 + 10,
      clearsOn: '2026-12-01',
    });
  });
});
