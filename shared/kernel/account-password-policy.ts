import {
  GetAccountPasswordPolicyCommand,
  type IAMClient,
  type PasswordPolicy as IamPasswordPolicy,
} from '@aws-sdk/client-iam';
import { iamError, isNoSuchEntityError } from './aws-errors.ts';
import { IamAccountError } from './errors.ts';

/** The IAM actions this reader calls; tests/unit/deployment/permissions.test.ts checks the roles grant them. */
export const ACCOUNT_PASSWORD_POLICY_IAM_ACTIONS = ['iam:GetAccountPasswordPolicy'] as const;

/**
 * The account's custom password policy as IAM reports it. IAM leaves out MaxPasswordAge when passwords
 * never expire and PasswordReusePrevention when reuse is allowed: both are `null` here, the weakest value
 * of their field.
 */
export interface AccountPasswordPolicy {
  /** Fewest characters a password may have (IAM: 6-128). */
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  /** Every IAM user may change their own password (else they need a policy granting it). */
  allowUsersToChangePassword: boolean;
  /** Days a password stays valid; `null`: passwords never expire. */
  maxPasswordAge: number | null;
  /** How many previous passwords cannot be reused; `null`: any may be. */
  passwordReusePrevention: number | null;
  /** An expired password locks the user out until an administrator resets it. */
  hardExpiry: boolean;
}

// IAM's own default for a MinimumPasswordLength it leaves out.
const IAM_DEFAULT_MINIMUM_LENGTH = 6;

/**
 * Reads the account's password policy; `undefined` when the account has none (AWS's default applies).
 * @throws {IamAccountError} (`IamBusyError` when throttled) when IAM cannot be read.
 */
export async function readAccountPasswordPolicy(iam: IAMClient): Promise<AccountPasswordPolicy | undefined> {
  let policy: IamPasswordPolicy | undefined;
  try {
    policy = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy;
  } catch (error: unknown) {
    if (isNoSuchEntityError(error)) return undefined;
    throw iamError('GetAccountPasswordPolicy', error);
  }
  if (policy === undefined) {
    throw new IamAccountError('GetAccountPasswordPolicy: IAM returned no PasswordPolicy');
  }
  // A field IAM leaves out has IAM's default: off for every flag, 6 for the length, never for expiry, no
  // reuse prevention. IAM reports "never expires" by leaving MaxPasswordAge out; moto reports it as 0.
  return {
    minimumPasswordLength: policy.MinimumPasswordLength ?? IAM_DEFAULT_MINIMUM_LENGTH,
    requireSymbols: policy.RequireSymbols ?? false,
    requireNumbers: policy.RequireNumbers ?? false,
    requireUppercaseCharacters: policy.RequireUppercaseCharacters ?? false,
    requireLowercaseCharacters: policy.RequireLowercaseCharacters ?? false,
    allowUsersToChangePassword: policy.AllowUsersToChangePassword ?? false,
    maxPasswordAge: positiveOrNull(policy.MaxPasswordAge),
    passwordReusePrevention: positiveOrNull(policy.PasswordReusePrevention),
    hardExpiry: policy.HardExpiry ?? false,
  };
}

function positiveOrNull(value: number | undefined): number | null {
  return value !== undefined && value > 0 ? value : null;
}
