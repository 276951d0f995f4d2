import { describe, expect, it } from 'vitest';
import { loadConsoleAccessConfig } from '../../../shared/console-access/config.ts';
import { consoleAccessOptions } from '../../../shared/console-access/dependencies.ts';
import { consoleAccessMetricValues } from '../../../shared/console-access/run-metrics.ts';
import { countPasswords } from '../../../shared/console-access/summary.ts';
import type { ConsoleAccessSummary } from '../../../shared/console-access/types.ts';

describe('consoleAccessOptions', () => {
  const now = new Date('2026-11-23T03:00:00Z');
  it.each([
    { case: 'a scheduled run', env: {}, request: { dryRun: false }, dryRun: false, at: undefined },
    {
      case: 'a dry run asked for by the event',
      env: {},
      request: { dryRun: true },
      dryRun: true,
      at: undefined,
    },
    {
      case: 'DRY_RUN, which an event cannot turn off',
      env: { DRY_RUN: 'true' },
      request: { dryRun: false },
      dryRun: true,
      at: undefined,
    },
    {
      case: 'KEY_HYGIENE_NOW in a dry run',
      env: { DRY_RUN: 'true', KEY_HYGIENE_NOW: now.toISOString() },
      request: { dryRun: false },
      dryRun: true,
      at: now,
    },
    {
      case: 'a forecast date over KEY_HYGIENE_NOW',
      env: { DRY_RUN: 'true', KEY_HYGIENE_NOW: '2026-01-01' },
      request: { dryRun: true, now },
      dryRun: true,
      at: now,
    },
  ])('$case', ({ env, request, dryRun, at }) => {
    const before = Date.now();
    const options = consoleAccessOptions(loadConsoleAccessConfig(env), request);
    expect(options.dryRun).toBe(dryRun);
    if (at === undefined) expect(options.now.getTime()).toBeGreaterThanOrEqual(before);
    else expect(options.now).toEqual(at);
  });
});

describe('consoleAccessMetricValues', () => {
  it('are the summary counts, and GuardTrips', () => {
    const rows: ConsoleAccessSummary['passwords'] = [
      { userName: 'a', decision: 'remove', reason: '', outcome: 'done' },
      { userName: 'b', decision: 'remove', reason: '', outcome: 'waiting' },
      { userName: 'c', decision: 'remove', reason: '', outcome: 'failed' },
      { userName: 'd', decision: 'warn', reason: '', outcome: 'reported' },
    ];
    const counts = countPasswords(rows, { mfa: [], idle: [] }, 1);
    const summary = {
      counts,
      guard: { tripped: true, passwordsNeedingAction: 3, passwordsInAccount: 3 },
    } as unknown as ConsoleAccessSummary; // only what the metrics read
    expect(consoleAccessMetricValues(summary)).toEqual({
      ConsolePasswordsRemoved: 1,
      ConsolePasswordsWarned: 1,
      ConsolePasswordsWaiting: 1,
      ConsoleRemovalsFailed: 1,
      ConsoleUsersWithoutMfa: 0,
      GuardTrips: 1,
    });
  });
});
