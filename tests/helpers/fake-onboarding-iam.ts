import type { AccountPasswordPolicy } from '../../shared/kernel/account-password-policy.ts';
import { IamAccountError, IamEntityNotFoundError } from '../../shared/kernel/errors.ts';
import type { NewIamUser, OnboardingIam } from '../../shared/onboarding/onboarding-iam.ts';

type Method = keyof OnboardingIam;

export interface FakeUser {
  path: string;
  tags: Record<string, string>;
  permissionsBoundaryArn: string | undefined;
  /** The login profile's password and reset flag, when it has one. */
  loginProfile: { password: string; passwordResetRequired: true } | undefined;
  groups: string[];
  policyArns: string[];
}

/**
 * An in-memory IAM account behind the `OnboardingIam` port: users with their login profiles, groups and
 * policies; every call recorded as `Method target`; failures injectable per method and target.
 */
export class FakeOnboardingIam implements OnboardingIam {
  readonly calls: string[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly groups = new Set<string>();
  readonly policies = new Set<string>();
  /** The account's password policy; `undefined`: none (AWS's default applies). */
  policy: AccountPasswordPolicy | undefined;
  alias: string | undefined;
  accountId = '123456789012';
  /** What CreateUser answers as the ARN; default: a real-looking one. */
  arnFor = (user: NewIamUser): string =>
    `arn:${this.partition}:iam::${this.accountId}:user${user.path}${user.userName}`;
  partition = 'aws';
  private readonly failures: { method: Method; target: string; errors: Error[] }[] = [];

  withGroups(...names: string[]): this {
    for (const name of names) this.groups.add(name);
    return this;
  }

  withPolicies(...arns: string[]): this {
    for (const arn of arns) this.policies.add(arn);
    return this;
  }

  withUser(userName: string): this {
    this.users.set(userName, {
      path: '/',
      tags: {},
      permissionsBoundaryArn: undefined,
      loginProfile: undefined,
      groups: [],
      policyArns: [],
    });
    return this;
  }

  /** The next calls of `method` on `target` fail with these errors, one call each (default: one failure). */
  failOn(method: Method, target: string, ...errors: Error[]): void {
    this.failures.push({
      method,
      target,
      errors:
        errors.length > 0 ? errors : [new IamAccountError(`${method} ${target} failed: ServiceFailure`)],
    });
  }

  /** A copy of the account's users, for before/after comparisons. */
  snapshot(): Record<string, FakeUser> {
    return structuredClone(Object.fromEntries(this.users));
  }

  private record(method: Method, target: string): void {
    this.calls.push(`${method} ${target}`.trim());
    const failure = this.failures.find((entry) => entry.method === method && entry.target === target);
    const error = failure?.errors.shift();
    if (failure !== undefined && failure.errors.length === 0)
      this.failures.splice(this.failures.indexOf(failure), 1);
    if (error !== undefined) throw error;
  }

  private user(userName: string): FakeUser {
    const user = this.users.get(userName);
    if (user === undefined) throw new IamEntityNotFoundError(`user ${userName}: not found`);
    return user;
  }

  async userExists(userName: string): Promise<boolean> {
    this.record('userExists', userName);
    return this.users.has(userName);
  }

  async groupExists(groupName: string): Promise<boolean> {
    this.record('groupExists', groupName);
    return this.groups.has(groupName);
  }

  async passwordPolicy(): Promise<AccountPasswordPolicy | undefined> {
    this.record('passwordPolicy', '');
    return this.policy === undefined ? undefined : { ...this.policy };
  }

  async accountAlias(): Promise<string | undefined> {
    this.record('accountAlias', '');
    return this.alias;
  }

  async createUser(user: NewIamUser): Promise<{ arn: string }> {
    this.record('createUser', user.userName);
    if (this.users.has(user.userName))
      throw new IamAccountError(`CreateUser ${user.userName}: EntityAlreadyExists`);
    this.users.set(user.userName, {
      path: user.path,
      tags: { ...user.tags },
      permissionsBoundaryArn: user.permissionsBoundaryArn,
      loginProfile: undefined,
      groups: [],
      policyArns: [],
    });
    return { arn: this.arnFor(user) };
  }

  async createLoginProfile(userName: string, password: string): Promise<void> {
    this.record('createLoginProfile', userName);
    this.user(userName).loginProfile = { password, passwordResetRequired: true };
  }

  async addUserToGroup(userName: string, groupName: string): Promise<void> {
    this.record('addUserToGroup', `${userName} ${groupName}`);
    if (!this.groups.has(groupName)) throw new IamEntityNotFoundError(`group ${groupName}: not found`);
    this.user(userName).groups.push(groupName);
  }

  async attachUserPolicy(userName: string, policyArn: string): Promise<void> {
    this.record('attachUserPolicy', `${userName} ${policyArn}`);
    if (!this.policies.has(policyArn)) throw new IamEntityNotFoundError(`policy ${policyArn}: not found`);
    this.user(userName).policyArns.push(policyArn);
  }

  async detachUserPolicy(userName: string, policyArn: string): Promise<void> {
    this.record('detachUserPolicy', `${userName} ${policyArn}`);
    const user = this.user(userName);
    if (!user.policyArns.includes(policyArn)) throw new IamEntityNotFoundError(`${policyArn}: not attached`);
    user.policyArns = user.policyArns.filter((arn) => arn !== policyArn);
  }

  async removeUserFromGroup(userName: string, groupName: string): Promise<void> {
    this.record('removeUserFromGroup', `${userName} ${groupName}`);
    const user = this.user(userName);
    if (!user.groups.includes(groupName)) throw new IamEntityNotFoundError(`${groupName}: not a member`);
    user.groups = user.groups.filter((group) => group !== groupName);
  }

  async deleteLoginProfile(userName: string): Promise<void> {
    this.record('deleteLoginProfile', userName);
    const user = this.user(userName);
    if (user.loginProfile === undefined)
      throw new IamEntityNotFoundError(`login profile ${userName}: not found`);
    user.loginProfile = undefined;
  }

  async deleteUser(userName: string): Promise<void> {
    this.record('deleteUser', userName);
    const user = this.user(userName);
    // As IAM: a user with a login profile, groups or policies cannot be deleted.
    if (user.loginProfile !== undefined || user.groups.length > 0 || user.policyArns.length > 0) {
      throw new IamAccountError(`DeleteUser ${userName} failed: DeleteConflict`);
    }
    this.users.delete(userName);
  }
}
