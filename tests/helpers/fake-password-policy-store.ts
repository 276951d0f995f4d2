import type { AccountPasswordPolicy } from '../../shared/kernel/account-password-policy.ts';
import type { PasswordPolicyStore } from '../../shared/password-policy/iam-password-policy.ts';
import type { PasswordPolicy } from '../../shared/password-policy/types.ts';

/** An in-memory account password policy that records every write and can be made to fail. */
export class FakePasswordPolicyStore implements PasswordPolicyStore {
  readonly writes: PasswordPolicy[] = [];
  readError: Error | undefined;
  writeError: Error | undefined;

  constructor(public policy: AccountPasswordPolicy | undefined) {}

  async read(): Promise<AccountPasswordPolicy | undefined> {
    if (this.readError) throw this.readError;
    return this.policy === undefined ? undefined : { ...this.policy };
  }

  async write(policy: PasswordPolicy): Promise<void> {
    if (this.writeError) throw this.writeError;
    this.writes.push({ ...policy });
    this.policy = { ...policy };
  }
}
