import { describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/kernel/time.ts';
import { daysLeft, dueStage, nightsApart, warningToSend } from '../../../shared/notices/index.ts';

const NOW = new Date('2026-11-23T03:00:00Z');
const HOUR = 3_600_000;
const STAGES = [14, 7, 1];

describe('warning stages', () => {
  it.each([
    { daysLeft: 20, stage: undefined },
    { daysLeft: 15, stage: undefined },
    { daysLeft: 14, stage: 14 },
    { daysLeft: 8, stage: 14 },
    { daysLeft: 7, stage: 7 },
    { daysLeft: 2, stage: 7 },
    { daysLeft: 1, stage: 1 },
    { daysLeft: 0, stage: 1 },
  ])('$daysLeft days left: stage $stage', ({ daysLeft: left, stage }) => {
    expect(dueStage(left, STAGES)).toBe(stage);
  });

  it.each([
    { left: 14, last: undefined, send: 14 },
    { left: 14, last: 14, send: undefined },
    { left: 6, last: undefined, send: 7 },
    { left: 6, last: 14, send: 7 },
    { left: 6, last: 7, send: undefined },
    { left: 1, last: 7, send: 1 },
    { left: 0, last: 1, send: undefined },
  ])('with $left days left and stage $last sent: send $send', ({ left, last, send }) => {
    expect(warningToSend(addDays(NOW, left), NOW, STAGES, last)).toBe(send);
  });

  it('counts days left rounded up, and none once the deadline has passed', () => {
    expect(daysLeft(new Date(NOW.getTime() + HOUR), NOW)).toBe(1);
    expect(daysLeft(addDays(NOW, -3), NOW)).toBe(0);
  });

  it.each([
    { case: 'a rerun an hour later', elapsed: HOUR, nights: 1, apart: false },
    { case: 'the next night, a minute earlier', elapsed: 24 * HOUR - 60_000, nights: 1, apart: true },
    { case: 'six nights later', elapsed: 6 * 24 * HOUR, nights: 7, apart: false },
    { case: 'seven nights later, a minute earlier', elapsed: 7 * 24 * HOUR - 60_000, nights: 7, apart: true },
  ])('$case: $apart', ({ elapsed, nights, apart }) => {
    expect(nightsApart(NOW, new Date(NOW.getTime() + elapsed), nights)).toBe(apart);
  });
});
