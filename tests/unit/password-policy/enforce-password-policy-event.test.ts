import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../shared/key-enforcement/enforce-keys-event.ts';
import { parseEnforcePasswordPolicyEvent } from '../../../shared/password-policy/enforce-password-policy-event.ts';

describe('parseEnforcePasswordPolicyEvent', () => {
  it.each([
    [undefined, false],
    [null, false],
    ['', false],
    [{}, false],
    [{ dryRun: false }, false],
    [{ dryRun: true }, true],
    // A schedule's own event (EventBridge fields) is read as an ordinary run.
    [{ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, false],
  ])('reads %j as dryRun %s', (event, dryRun) => {
    expect(parseEnforcePasswordPolicyEvent(event)).toEqual({ dryRun });
  });

  it.each([
    [{ dryRun: 'yes' }, 'dryRun: must be true or false'],
    [{ dryRun: 1 }, 'dryRun: must be true or false'],
    ['run', 'event: '],
    [[], 'event: '],
  ])('refuses %j, naming the field', (event, problem) => {
    let thrown: unknown;
    try {
      parseEnforcePasswordPolicyEvent(event);
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidEventError);
    expect((thrown as Error).message).toContain(`Invalid enforcePasswordPolicy event: ${problem}`);
  });
});
