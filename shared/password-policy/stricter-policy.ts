import type { AccountPasswordPolicy } from '../kernel/index.ts';
import { PASSWORD_POLICY_FIELDS, type PasswordPolicy, type PolicyChange } from './types.ts';

/**
 * The policy to hold the account at: field by field, the stricter of the current policy and the baseline,
 * so the run only ever tightens. No current policy: the baseline.
 *
 * - Minimum length and reuse prevention: the higher wins; reuse prevention absent counts as none.
 * - Maximum age: the shorter wins; absent (passwords never expire) is the weakest value.
 * - Character requirements and hard expiry: once on, they stay on.
 * - Users may change their own password: once on, it stays on too. It is what lets a user set the new
 *   password that expiry and the first sign-in of an onboarded user ask for; turning it off would lock
 *   users out, so `PASSWORD_ALLOW_USERS_TO_CHANGE=false` means "do not require it", never "turn it off".
 */
export function stricterPolicy(
  current: AccountPasswordPolicy | undefined,
  baseline: PasswordPolicy,
): PasswordPolicy {
  if (current === undefined) return { ...baseline };
  return {
    minimumPasswordLength: Math.max(current.minimumPasswordLength, baseline.minimumPasswordLength),
    requireSymbols: current.requireSymbols || baseline.requireSymbols,
    requireNumbers: current.requireNumbers || baseline.requireNumbers,
    requireUppercaseCharacters: current.requireUppercaseCharacters || baseline.requireUppercaseCharacters,
    requireLowercaseCharacters: current.requireLowercaseCharacters || baseline.requireLowercaseCharacters,
    allowUsersToChangePassword: current.allowUsersToChangePassword || baseline.allowUsersToChangePassword,
    maxPasswordAge:
      current.maxPasswordAge === null
        ? baseline.maxPasswordAge
        : Math.min(current.maxPasswordAge, baseline.maxPasswordAge),
    passwordReusePrevention: Math.max(current.passwordReusePrevention ?? 0, baseline.passwordReusePrevention),
    hardExpiry: current.hardExpiry || baseline.hardExpiry,
  };
}

/**
 * The fields that differ between the policy found and the policy to hold, in display order. With no
 * policy found, every field is a change from `null`.
 */
export function policyDrift(
  before: AccountPasswordPolicy | undefined,
  after: PasswordPolicy,
): PolicyChange[] {
  return PASSWORD_POLICY_FIELDS.flatMap(({ field, iamName }) => {
    const was = before === undefined ? null : before[field];
    const now = after[field];
    return was === now ? [] : [{ field, iamName, before: was, after: now }];
  });
}
