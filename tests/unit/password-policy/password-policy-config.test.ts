import { describe, expect, it } from 'vitest';
import {
  loadPasswordPolicyConfig,
  PASSWORD_POLICY_DEFAULTS,
  type PasswordPolicyConfig,
} from '../../../shared/password-policy/config.ts';
import type { PasswordPolicy } from '../../../shared/password-policy/types.ts';
import { configErrorFrom } from '../../helpers/config-error.ts';

const VARIABLES = [
  'PASSWORD_MIN_LENGTH',
  'PASSWORD_MAX_AGE_DAYS',
  'PASSWORD_REUSE_PREVENTION',
  'PASSWORD_REQUIRE_SYMBOLS',
  'PASSWORD_REQUIRE_NUMBERS',
  'PASSWORD_REQUIRE_UPPERCASE',
  'PASSWORD_REQUIRE_LOWERCASE',
  'PASSWORD_ALLOW_USERS_TO_CHANGE',
  'PASSWORD_HARD_EXPIRY',
  'DRY_RUN',
  'EVENT_BUS_NAME',
] as const;

const DEFAULT_CONFIG: PasswordPolicyConfig = {
  baseline: {
    minimumPasswordLength: 14,
    requireSymbols: true,
    requireNumbers: true,
    requireUppercaseCharacters: true,
    requireLowercaseCharacters: true,
    allowUsersToChangePassword: true,
    maxPasswordAge: 90,
    passwordReusePrevention: 24,
    hardExpiry: false,
  },
  dryRun: false,
  eventBusName: 'default',
};

describe('loadPasswordPolicyConfig', () => {
  it('holds the CIS AWS Foundations baseline when the environment is empty', () => {
    expect(loadPasswordPolicyConfig({})).toEqual(DEFAULT_CONFIG);
    expect(PASSWORD_POLICY_DEFAULTS).toEqual(DEFAULT_CONFIG.baseline);
  });

  it('ignores variables it does not own', () => {
    expect(loadPasswordPolicyConfig({ KEY_MAX_AGE_DAYS: 'x', PASSWORD: 'hunter2' })).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    ['PASSWORD_MIN_LENGTH', '6', { minimumPasswordLength: 6 }],
    ['PASSWORD_MIN_LENGTH', '128', { minimumPasswordLength: 128 }],
    ['PASSWORD_MIN_LENGTH', ' 20 ', { minimumPasswordLength: 20 }],
    ['PASSWORD_MAX_AGE_DAYS', '1', { maxPasswordAge: 1 }],
    ['PASSWORD_MAX_AGE_DAYS', '1095', { maxPasswordAge: 1095 }],
    ['PASSWORD_REUSE_PREVENTION', '1', { passwordReusePrevention: 1 }],
    ['PASSWORD_REUSE_PREVENTION', '24', { passwordReusePrevention: 24 }],
    ['PASSWORD_REQUIRE_SYMBOLS', 'false', { requireSymbols: false }],
    ['PASSWORD_REQUIRE_NUMBERS', 'FALSE', { requireNumbers: false }],
    ['PASSWORD_REQUIRE_UPPERCASE', ' false ', { requireUppercaseCharacters: false }],
    ['PASSWORD_REQUIRE_LOWERCASE', 'false', { requireLowercaseCharacters: false }],
    ['PASSWORD_ALLOW_USERS_TO_CHANGE', 'false', { allowUsersToChangePassword: false }],
    ['PASSWORD_HARD_EXPIRY', 'true', { hardExpiry: true }],
    ['PASSWORD_REQUIRE_SYMBOLS', 'true', { requireSymbols: true }],
  ] as [string, string, Partial<PasswordPolicy>][])('reads %s=%j', (variable, value, expected) => {
    expect(loadPasswordPolicyConfig({ [variable]: value }).baseline).toEqual({
      ...DEFAULT_CONFIG.baseline,
      ...expected,
    });
  });

  it('reads the run settings it shares with key enforcement', () => {
    expect(loadPasswordPolicyConfig({ DRY_RUN: 'true', EVENT_BUS_NAME: 'security-audit' })).toEqual({
      ...DEFAULT_CONFIG,
      dryRun: true,
      eventBusName: 'security-audit',
    });
  });

  it.each(VARIABLES.flatMap((variable) => [[variable, ''] as const, [variable, '  '] as const]))(
    'uses the default when %s is %j',
    (variable, value) => {
      expect(loadPasswordPolicyConfig({ [variable]: value })).toEqual(DEFAULT_CONFIG);
    },
  );

  it.each([
    ['PASSWORD_MIN_LENGTH', '5', 'must be at least 6'],
    ['PASSWORD_MIN_LENGTH', '129', 'must be at most 128'],
    ['PASSWORD_MIN_LENGTH', 'fourteen', 'must be a whole number from 6 to 128'],
    ['PASSWORD_MIN_LENGTH', '14.5', 'must be a whole number from 6 to 128'],
    ['PASSWORD_MAX_AGE_DAYS', '0', 'must be at least 1'],
    ['PASSWORD_MAX_AGE_DAYS', '1096', 'must be at most 1095'],
    ['PASSWORD_MAX_AGE_DAYS', '-90', 'must be a whole number from 1 to 1095'],
    ['PASSWORD_MAX_AGE_DAYS', 'never', 'must be a whole number from 1 to 1095'],
    ['PASSWORD_REUSE_PREVENTION', '0', 'must be at least 1'],
    ['PASSWORD_REUSE_PREVENTION', '25', 'must be at most 24'],
    ['PASSWORD_REUSE_PREVENTION', 'all', 'must be a whole number from 1 to 24'],
    ['PASSWORD_REQUIRE_SYMBOLS', 'yes', "must be 'true' or 'false'"],
    ['PASSWORD_REQUIRE_NUMBERS', '1', "must be 'true' or 'false'"],
    ['PASSWORD_REQUIRE_UPPERCASE', 'on', "must be 'true' or 'false'"],
    ['PASSWORD_REQUIRE_LOWERCASE', 'no', "must be 'true' or 'false'"],
    ['PASSWORD_ALLOW_USERS_TO_CHANGE', '0', "must be 'true' or 'false'"],
    ['PASSWORD_HARD_EXPIRY', 'enabled', "must be 'true' or 'false'"],
    ['DRY_RUN', 'maybe', "must be 'true' or 'false'"],
    ['EVENT_BUS_NAME', 'arn:aws:events:eu-west-1:123456789012:event-bus/audit', 'must be an event bus name'],
  ])('refuses %s=%j with a ConfigError naming the variable and the value', (variable, value, problem) => {
    const error = configErrorFrom(() => loadPasswordPolicyConfig({ [variable]: value }));

    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(`${variable}: ${problem}`);
    expect(error.message).toContain(`(got ${JSON.stringify(value)})`);
  });

  it('names every bad variable in one error, and no good one', () => {
    const error = configErrorFrom(() =>
      loadPasswordPolicyConfig({
        PASSWORD_MIN_LENGTH: '4',
        PASSWORD_REUSE_PREVENTION: '30',
        PASSWORD_HARD_EXPIRY: 'yes',
        PASSWORD_MAX_AGE_DAYS: '60',
      }),
    );

    expect(error.message).toContain('PASSWORD_MIN_LENGTH: must be at least 6 (got "4")');
    expect(error.message).toContain('PASSWORD_REUSE_PREVENTION: must be at most 24 (got "30")');
    expect(error.message).toContain("PASSWORD_HARD_EXPIRY: must be 'true' or 'false' (got \"yes\")");
    expect(error.message).not.toContain('PASSWORD_MAX_AGE_DAYS');
  });
});
