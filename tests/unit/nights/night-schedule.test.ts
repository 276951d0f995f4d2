import { describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/kernel/time.ts';
import {
  describeBacklog,
  dueTonightJob,
  firstNoticeDate,
  scheduleKind,
  warnedJob,
} from '../../../shared/nights/index.ts';

const NOW = new Date('2026-11-23T03:00:00Z');

describe('scheduleKind', () => {
  it('acts on the most overdue tonight, leaves the rest for the nights ahead, and says when it clears', () => {
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id, index) => dueTonightJob(id, addDays(NOW, -index)));
    const schedule = scheduleKind(jobs, 2, NOW);
    expect([...schedule.waiting]).toEqual([
      ['a', { until: addDays(NOW, 2) }],
      ['b', { until: addDays(NOW, 1) }],
      ['c', { until: addDays(NOW, 1) }],
    ]);
    expect(schedule.backlog).toEqual({
      limit: 2,
      due: 5,
      tonight: 2,
      waiting: 3,
      remaining: 3,
      clearsOn: '2026-11-25',
    });
  });

  it('gives first notices the first night from their earliest with room, after dates already told', () => {
    const told = warnedJob('told', { due: addDays(NOW, 6.5), firstNotice: false, told: true }, NOW, 7);
    const first = ['f1', 'f2'].map((id) =>
      warnedJob(id, { due: addDays(NOW, -10), firstNotice: true, told: false }, NOW, 7),
    );
    const schedule = scheduleKind([...first, told], 2, NOW);
    expect(schedule.toldDates).toEqual(
      new Map([
        ['f1', firstNoticeDate(NOW, 7)],
        ['f2', firstNoticeDate(NOW, 8)],
      ]),
    );
    expect(schedule.backlog).toMatchObject({ due: 0, remaining: 3, clearsOn: '2026-12-01' });
  });

  it('with a limit of 0 acts on none and gives no clear date', () => {
    const schedule = scheduleKind([dueTonightJob('a', NOW)], 0, NOW);
    expect([...schedule.waiting]).toEqual([['a', {}]]);
    expect(schedule.backlog).toEqual({ limit: 0, due: 1, tonight: 0, waiting: 1, remaining: 1 });
  });
});

describe('firstNoticeDate and warnedJob', () => {
  it('tells the start of the UTC day N days out; the job may be acted on by the first run after it', () => {
    expect(firstNoticeDate(NOW, 7)).toEqual(new Date('2026-11-30T00:00:00Z'));
    const job = warnedJob('a', { due: addDays(NOW, -3), firstNotice: true, told: false }, NOW, 7);
    expect(job).toEqual({
      id: 'a',
      earliest: 7,
      due: addDays(NOW, -3).getTime(),
      firstNotice: true,
      told: true,
    });
    const ahead = warnedJob('b', { due: addDays(NOW, 2.5), firstNotice: false, told: false }, NOW, 7);
    expect(ahead).toMatchObject({ earliest: 3, told: false });
  });
});

describe('describeBacklog', () => {
  it('names the limit and says what remains and when it clears', () => {
    expect(
      describeBacklog('Removals', 'PASSWORD_REMOVALS_PER_NIGHT', {
        limit: 20,
        due: 25,
        tonight: 20,
        waiting: 5,
        remaining: 8,
        clearsOn: '2026-12-01',
      }),
    ).toBe(
      "Removals: 25 due tonight, 20 within tonight's limit of 20 (PASSWORD_REMOVALS_PER_NIGHT); 8 remain (5 due and waiting, the most overdue first, 3 waiting for the date told on first notice): at 20 a night the backlog clears on the night of 2026-12-01, unless more fall due.",
    );
    expect(
      describeBacklog('Removals', 'PASSWORD_REMOVALS_PER_NIGHT', {
        limit: 0,
        due: 1,
        tonight: 0,
        waiting: 1,
        remaining: 1,
      }),
    ).toBe(
      "Removals: 1 due tonight, 0 within tonight's limit of 0 (PASSWORD_REMOVALS_PER_NIGHT); 1 remain (1 due and waiting, the most overdue first): the backlog does not clear while PASSWORD_REMOVALS_PER_NIGHT is 0.",
    );
  });
});
