import { type IAMClient, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { type AccountPasswordPolicy, describeError, readAccountPasswordPolicy } from '../kernel/index.ts';
import { PasswordPolicyReadError, PasswordPolicyUpdateError } from './errors.ts';
import type { PasswordPolicy } from './types.ts';

/**
 * The IAM actions this adapter calls (reading goes through kernel's `readAccountPasswordPolicy`, which
 * declares its own); tests/unit/deployment/permissions.test.ts checks the roles grant them.
 */
export const PASSWORD_POLICY_IAM_ACTIONS = ['iam:UpdateAccountPasswordPolicy'] as const;

/** The port the use case needs: the account's one password policy. */
export interface PasswordPolicyStore {
  /** The current policy; `undefined` when the account has none yet. */
  read(): Promise<AccountPasswordPolicy | undefined>;
  /** Replaces the whole policy (or creates it) with every field of `policy`. */
  write(policy: PasswordPolicy): Promise<void>;
}

/**
 * The IAM-backed `PasswordPolicyStore`. A failed read becomes `PasswordPolicyReadError`, a failed update
 * `PasswordPolicyUpdateError`, each with the failure as `cause`.
 */
export function iamPasswordPolicy(iam: IAMClient): PasswordPolicyStore {
  return {
    async read() {
      try {
        return await readAccountPasswordPolicy(iam);
      } catch (error: unknown) {
        throw new PasswordPolicyReadError(
          `Reading the account password policy failed: ${error instanceof Error ? error.message : String(error)}`,
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
