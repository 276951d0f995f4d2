import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/kernel/index.ts';
import { loadOrgNightConfig } from '../../../shared/org-night/index.ts';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:key-hygiene-prod-organization';

describe('loadOrgNightConfig', () => {
  it('reads the state machine, the time zone (UTC by default) and the dry run', () => {
    expect(loadOrgNightConfig({ ORG_STATE_MACHINE_ARN: ARN })).toEqual({
      stateMachineArn: ARN,
      timeZone: 'UTC',
      dryRun: false,
    });
    expect(
      loadOrgNightConfig({ ORG_STATE_MACHINE_ARN: ARN, SCHEDULE_TIMEZONE: 'Europe/Berlin', DRY_RUN: 'true' }),
    ).toEqual({ stateMachineArn: ARN, timeZone: 'Europe/Berlin', dryRun: true });
  });

  it.each([
    [{}, /ORG_STATE_MACHINE_ARN/],
    [{ ORG_STATE_MACHINE_ARN: 'key-hygiene-prod-organization' }, /ORG_STATE_MACHINE_ARN.*state machine ARN/],
    [{ ORG_STATE_MACHINE_ARN: ARN, SCHEDULE_TIMEZONE: 'Mars/Olympus' }, /SCHEDULE_TIMEZONE/],
    [{ ORG_STATE_MACHINE_ARN: ARN, DRY_RUN: 'yes' }, /DRY_RUN/],
  ])('refuses %j, naming the variable', (environment, message) => {
    expect(() => loadOrgNightConfig(environment)).toThrow(ConfigError);
    expect(() => loadOrgNightConfig(environment)).toThrow(message);
  });
});
