import { z } from 'zod';
import {
  DEFAULT_EVENT_BUS_NAME,
  type Environment,
  eventBusName,
  flag,
  parseEnvironment,
  wholeNumber,
} from '../kernel/index.ts';
import type { PasswordPolicy } from './types.ts';

export interface PasswordPolicyConfig {
  /** The policy the account is held at, at least: the run never loosens a stricter field. */
  baseline: PasswordPolicy;
  /** Report the drift only: change nothing, publish no event (the security team is still mailed). */
  dryRun: boolean;
  /** The EventBridge bus that receives the PasswordPolicyUpdated event. */
  eventBusName: string;
}

/** The baseline: the CIS AWS Foundations Benchmark's password recommendations. */
export const PASSWORD_POLICY_DEFAULTS: Readonly<PasswordPolicy> = {
  minimumPasswordLength: 14,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
  allowUsersToChangePassword: true,
  maxPasswordAge: 90,
  passwordReusePrevention: 24,
  hardExpiry: false,
};

const passwordPolicyEnvironment = z.object({
  // IAM's own ranges: a value outside them would make UpdateAccountPasswordPolicy fail every night.
  PASSWORD_MIN_LENGTH: wholeNumber(6, 128),
  PASSWORD_MAX_AGE_DAYS: wholeNumber(1, 1095),
  PASSWORD_REUSE_PREVENTION: wholeNumber(1, 24),
  PASSWORD_REQUIRE_SYMBOLS: flag,
  PASSWORD_REQUIRE_NUMBERS: flag,
  PASSWORD_REQUIRE_UPPERCASE: flag,
  PASSWORD_REQUIRE_LOWERCASE: flag,
  PASSWORD_ALLOW_USERS_TO_CHANGE: flag,
  PASSWORD_HARD_EXPIRY: flag,
  DRY_RUN: flag,
  EVENT_BUS_NAME: eventBusName,
});

/**
 * Reads the password-policy baseline and run settings from the environment.
 * @throws {ConfigError} naming every variable that is malformed or outside IAM's range.
 */
export function loadPasswordPolicyConfig(environment: Environment): PasswordPolicyConfig {
  const settings = parseEnvironment(passwordPolicyEnvironment, environment);
  const defaults = PASSWORD_POLICY_DEFAULTS;
  const onOff = (value: 'true' | 'false' | undefined, fallback: boolean) =>
    value === undefined ? fallback : value === 'true';
  return {
    baseline: {
      minimumPasswordLength: settings.PASSWORD_MIN_LENGTH ?? defaults.minimumPasswordLength,
      requireSymbols: onOff(settings.PASSWORD_REQUIRE_SYMBOLS, defaults.requireSymbols),
      requireNumbers: onOff(settings.PASSWORD_REQUIRE_NUMBERS, defaults.requireNumbers),
      requireUppercaseCharacters: onOff(
        settings.PASSWORD_REQUIRE_UPPERCASE,
        defaults.requireUppercaseCharacters,
      ),
      requireLowercaseCharacters: onOff(
        settings.PASSWORD_REQUIRE_LOWERCASE,
        defaults.requireLowercaseCharacters,
      ),
      allowUsersToChangePassword: onOff(
        settings.PASSWORD_ALLOW_USERS_TO_CHANGE,
        defaults.allowUsersToChangePassword,
      ),
      maxPasswordAge: settings.PASSWORD_MAX_AGE_DAYS ?? defaults.maxPasswordAge,
      passwordReusePrevention: settings.PASSWORD_REUSE_PREVENTION ?? defaults.passwordReusePrevention,
      hardExpiry: onOff(settings.PASSWORD_HARD_EXPIRY, defaults.hardExpiry),
    },
    dryRun: settings.DRY_RUN === 'true',
    eventBusName: settings.EVENT_BUS_NAME ?? DEFAULT_EVENT_BUS_NAME,
  };
}
