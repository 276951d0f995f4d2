import type { AccountPasswordPolicy } from '../../shared/kernel/account-password-policy.ts';
import { PASSWORD_POLICY_DEFAULTS } from '../../shared/password-policy/config.ts';
import type { PasswordPolicy } from '../../shared/password-policy/types.ts';

/** The CIS baseline (the service's defaults), as a fresh object. */
export function baselinePolicy(overrides: Partial<PasswordPolicy> = {}): PasswordPolicy {
  return { ...PASSWORD_POLICY_DEFAULTS, ...overrides };
}

/** A weak policy as an account might have it: IAM's defaults plus a short minimum length. */
export function weakPolicy(overrides: Partial<AccountPasswordPolicy> = {}): AccountPasswordPolicy {
  return {
    minimumPasswordLength: 8,
    requireSymbols: false,
    requireNumbers: false,
    requireUppercaseCharacters: false,
    requireLowercaseCharacters: false,
    allowUsersToChangePassword: false,
    maxPasswordAge: null,
    passwordReusePrevention: null,
    hardExpiry: false,
    ...overrides,
  };
}
