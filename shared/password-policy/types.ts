import type { AccountPasswordPolicy } from '../kernel/index.ts';

/**
 * A complete account password policy, every field set: the baseline, and what this service writes.
 * IAM's UpdateAccountPasswordPolicy replaces the whole policy, so a partial policy is never written; the
 * two fields IAM reports as absent (`null` in the account's policy) always have a value here.
 */
export interface PasswordPolicy
  extends Omit<AccountPasswordPolicy, 'maxPasswordAge' | 'passwordReusePrevention'> {
  /** Days a password stays valid (IAM: 1-1095). */
  maxPasswordAge: number;
  /** How many of a user's previous passwords cannot be reused (IAM: 1-24). */
  passwordReusePrevention: number;
}

export type PasswordPolicyField = keyof PasswordPolicy;

/** A field's value in a report; `null` is "never expire" / "reuse allowed", or "no policy" before creation. */
export type PolicyValue = number | boolean | null;

/** One field the run changed (or, in a dry run, would change). */
export interface PolicyChange {
  field: PasswordPolicyField;
  /** The field's name in the IAM API, as the console and AWS Config rules show it. */
  iamName: string;
  before: PolicyValue;
  after: PolicyValue;
}

/** The fields in the order IAM's console lists them, with their API names and readable labels. */
export const PASSWORD_POLICY_FIELDS: readonly {
  field: PasswordPolicyField;
  iamName: string;
  label: string;
}[] = [
  { field: 'minimumPasswordLength', iamName: 'MinimumPasswordLength', label: 'Minimum password length' },
  { field: 'requireUppercaseCharacters', iamName: 'RequireUppercaseCharacters', label: 'Uppercase letter' },
  { field: 'requireLowercaseCharacters', iamName: 'RequireLowercaseCharacters', label: 'Lowercase letter' },
  { field: 'requireNumbers', iamName: 'RequireNumbers', label: 'Number' },
  { field: 'requireSymbols', iamName: 'RequireSymbols', label: 'Symbol' },
  { field: 'maxPasswordAge', iamName: 'MaxPasswordAge', label: 'Password expiry' },
  {
    field: 'passwordReusePrevention',
    iamName: 'PasswordReusePrevention',
    label: 'Password reuse prevention',
  },
  { field: 'hardExpiry', iamName: 'HardExpiry', label: 'Expired passwords need an administrator reset' },
  {
    field: 'allowUsersToChangePassword',
    iamName: 'AllowUsersToChangePassword',
    label: 'Users may change their own password',
  },
];
