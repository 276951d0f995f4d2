import {
  GetAccountPasswordPolicyCommand,
  type IAMClient,
  type PasswordPolicy as IamPasswordPolicy,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { awsErrorName, describeError } from '../kernel/index.ts';
import { PasswordPolicyReadError, PasswordPolicyUpdateError } from './errors.ts';
import type { CurrentPasswordPolicy, PasswordPolicy } from './types.ts';

/** The IAM actions this adapter calls; tests/unit/deployment/permissions.test.ts checks the roles grant them. */
export const PASSWORD_POLICY_IAM_ACTIONS = [
  'iam:GetAccountPasswordPolicy',
  'iam:UpdateAccountPasswordPolicy',
] as const;

// IAM's own default for a MinimumPasswordLength left out of an update.
const IAM_DEFAULT_MINIMUM_LENGTH = 6;

/** The port the use case needs: the account's one password policy. */
export interface PasswordPolicyStore {
  /** The current policy; `undefined` when the account has none yet. */
  read(): Promise<CurrentPasswordPolicy | undefined>;
  /** Replaces the whole policy (or creates it) with every field of `policy`. */
  write(policy: PasswordPolicy): Promise<void>;
}

/**
 * The IAM-backed `PasswordPolicyStore`. Reading translates NoSuchEntity into "no policy"; any other
 * failure becomes `PasswordPolicyReadError`, a failed update `PasswordPolicyUpdateError`, each with the
 * SDK error as `cause`.
 */
export function iamPasswordPolicy(iam: IAMClient): PasswordPolicyStore {
  return {
    async read() {
      try {
        const response = await iam.send(new GetAccountPasswordPolicyCommand({}));
        if (response.PasswordPolicy === undefined) {
          throw new PasswordPolicyReadError('GetAccountPasswordPolicy returned no PasswordPolicy');
        }
        return fromIam(response.PasswordPolicy);
      } catch (error: unknown) {
        if (error instanceof PasswordPolicyReadError) throw error;
        const name = awsErrorName(error);
        if (name === 'NoSuchEntityException' || name === 'NoSuchEntity') return undefined;
        throw new PasswordPolicyReadError(
          `Reading the account password policy failed: ${describeError(error)}`,
          { cause: error },
        );
      }
    },
    async write(policy) {
      try {
        // Every field, every time: a field left out would fall back to IAM's weak default.
        await iam.send(
          new UpdateAccountPasswordPolicyCommand({
            MinimumPasswordLength: policy.minimumPasswordLength,
            RequireSymbols: policy.requireSymbols,
            RequireNumbers: policy.requireNumbers,
            RequireUppercaseCharacters: policy.requireUppercaseCharacters,
            RequireLowercaseCharacters: policy.requireLowercaseCharacters,
            AllowUsersToChangePassword: policy.allowUsersToChangePassword,
            MaxPasswordAge: policy.maxPasswordAge,
            PasswordReusePrevention: policy.passwordReusePrevention,
            HardExpiry: policy.hardExpiry,
          }),
        );
      } catch (error: unknown) {
        throw new PasswordPolicyUpdateError(
          `Updating the account password policy failed; the account keeps its previous policy: ${describeError(error)}`,
          { cause: error },
        );
      }
    },
  };
}

// A field IAM leaves out has IAM's default: off for every flag, 6 for the length, never for expiry, no
// reuse prevention. IAM reports "never expires" by leaving MaxPasswordAge out; moto reports it as 0.
function fromIam(policy: IamPasswordPolicy): CurrentPasswordPolicy {
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
