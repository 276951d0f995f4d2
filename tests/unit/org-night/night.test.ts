import { describe, expect, it } from 'vitest';
import {
  type NightExecution,
  NightStillRunningError,
  nightOf,
  planNightStart,
} from '../../../shared/org-night/index.ts';

const execution = (name: string, status: NightExecution['status'] = 'SUCCEEDED'): NightExecution => ({
  name,
  arn: `arn:aws:states:us-east-1:123456789012:execution:org:${name}`,
  status,
});
const scheduled = { rerun: false, dryRun: false };
const rerun = { rerun: true, dryRun: false };

describe('nightOf', () => {
  it.each([
    ['2026-11-30T03:00:00Z', 'UTC', '2026-11-30'],
    ['2026-11-30T23:30:00Z', 'UTC', '2026-11-30'],
    // 03:00 in Berlin (UTC+1 in winter) is 02:00 UTC, the same date.
    ['2026-11-30T02:00:00Z', 'Europe/Berlin', '2026-11-30'],
    // 03:00 in Tokyo (UTC+9) is 18:00 UTC the day before: the night is Tokyo's date.
    ['2026-11-29T18:00:00Z', 'Asia/Tokyo', '2026-11-30'],
    // 03:00 in Los Angeles (UTC-8) is 11:00 UTC the same day.
    ['2026-11-30T11:00:00Z', 'America/Los_Angeles', '2026-11-30'],
  ])('puts %s in the night of %s: %s', (instant, timeZone, night) => {
    expect(nightOf(new Date(instant), timeZone)).toBe(night);
  });
});

describe('planNightStart', () => {
  it('starts a night nobody started, named after the night', () => {
    expect(planNightStart(scheduled, [execution('night-2026-11-29')], '2026-11-30')).toEqual({
      kind: 'start',
      name: 'night-2026-11-30',
      input: { night: '2026-11-30', dryRun: false },
    });
  });

  it.each(['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED'] as const)(
    'starts nothing when the night already has an execution (%s): a second delivery of the schedule',
    (status) => {
      const existing = execution('night-2026-11-30', status);
      expect(planNightStart(scheduled, [existing], '2026-11-30')).toEqual({
        kind: 'already-started',
        execution: existing,
      });
    },
  );

  it('refuses to start a night while an earlier night still runs', () => {
    expect(() => planNightStart(scheduled, [execution('night-2026-11-29', 'RUNNING')], '2026-11-30')).toThrow(
      NightStillRunningError,
    );
  });

  it('names the first re-run of a night -rerun-1, and the next after those that exist', () => {
    expect(planNightStart(rerun, [execution('night-2026-11-30', 'FAILED')], '2026-11-30')).toMatchObject({
      kind: 'start',
      name: 'night-2026-11-30-rerun-1',
    });
    const earlier = [
      execution('night-2026-11-30', 'FAILED'),
      execution('night-2026-11-30-rerun-1', 'FAILED'),
      execution('night-2026-11-29-rerun-1'),
    ];
    expect(planNightStart(rerun, earlier, '2026-11-30')).toMatchObject({ name: 'night-2026-11-30-rerun-2' });
  });

  it('refuses a re-run while any execution runs, the night itself included', () => {
    expect(() => planNightStart(rerun, [execution('night-2026-11-30', 'RUNNING')], '2026-11-30')).toThrow(
      /night-2026-11-30 is still running/,
    );
  });

  it('carries the dry run into the execution input', () => {
    expect(planNightStart({ rerun: false, dryRun: true }, [], '2026-11-30')).toMatchObject({
      input: { night: '2026-11-30', dryRun: true },
    });
  });
});
