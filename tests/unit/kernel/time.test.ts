import { describe, expect, it } from 'vitest';
import { daysUntil, readableDate } from '../../../shared/kernel/time.ts';

const NOW = new Date('2026-11-23T03:00:00Z');

describe('daysUntil', () => {
  it.each([
    { case: 'ten whole days ahead', deadline: '2026-12-03T03:00:00Z', days: 10 },
    { case: 'a second past nine days ahead', deadline: '2026-12-02T03:00:01Z', days: 10 },
    { case: 'one second ahead', deadline: '2026-11-23T03:00:01Z', days: 1 },
    { case: 'the deadline itself', deadline: '2026-11-23T03:00:00Z', days: 0 },
    { case: 'a deadline a day and a bit past', deadline: '2026-11-22T02:00:00Z', days: -1 },
  ])('counts $days for $case', ({ deadline, days }) => {
    expect(daysUntil(new Date(deadline), NOW)).toBe(days);
  });
});

describe('readableDate', () => {
  it.each([
    { instant: '2026-11-23T03:00:00.000Z', endOfDay: false, text: '2026-11-23 03:00 UTC' },
    { instant: '2026-11-23T03:00:07.000Z', endOfDay: false, text: '2026-11-23 03:00:07 UTC' },
    { instant: '2026-11-23T03:00:07.456Z', endOfDay: false, text: '2026-11-23 03:00:07 UTC' },
    { instant: '2026-12-31T00:00:00.000Z', endOfDay: false, text: '2026-12-31' },
    { instant: '2027-01-01T00:00:00.000Z', endOfDay: true, text: '2026-12-31 (end of that day, UTC)' },
    { instant: '2026-12-31T18:45:00.000Z', endOfDay: true, text: '2026-12-31 18:45 UTC' },
  ])('writes $instant as "$text" (end of day: $endOfDay)', ({ instant, endOfDay, text }) => {
    expect(readableDate(new Date(instant), { endOfDay })).toBe(text);
  });
});
