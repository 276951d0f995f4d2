import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dryRunClock, parseEnvironment } from '../../../shared/kernel/env.ts';
import { ConfigError } from '../../../shared/kernel/errors.ts';
import { retiredMaxActionsPerRun } from '../../../shared/nights/index.ts';

const schema = z.object({ MAX_ACTIONS_PER_RUN: retiredMaxActionsPerRun('LIMIT_A and LIMIT_B') });

describe('retiredMaxActionsPerRun', () => {
  it('refuses MAX_ACTIONS_PER_RUN, naming it, what replaced it, and the value', () => {
    expect(() => parseEnvironment(schema, { MAX_ACTIONS_PER_RUN: '50' })).toThrow(
      new ConfigError(
        'Invalid configuration: MAX_ACTIONS_PER_RUN: is retired: set LIMIT_A and LIMIT_B instead (a backlog is worked off a limit per night; the guard no longer counts actions) (got "50")',
      ),
    );
  });

  it.each([undefined, '', '  '])('reads %j as unset', (value) => {
    expect(parseEnvironment(schema, { MAX_ACTIONS_PER_RUN: value })).toEqual({});
  });
});

describe('dryRunClock', () => {
  const at = new Date('2026-12-24T03:00:00Z');
  it('lets a dry run decide as of another time, and any run by the real clock', () => {
    expect(dryRunClock(at, true, 'keys')).toBe(at);
    expect(dryRunClock(undefined, false, 'keys')).toBeUndefined();
  });

  it('refuses a clock in a run that changes something, naming KEY_HYGIENE_NOW and what it changes', () => {
    expect(() => dryRunClock(at, false, 'console passwords')).toThrow(
      new ConfigError(
        'Invalid configuration: KEY_HYGIENE_NOW (2026-12-24T03:00:00.000Z) is allowed only with DRY_RUN=true: a run that changes console passwords decides by the real clock (for a forecast use npm run plan -- --at <date>)',
      ),
    );
  });
});
