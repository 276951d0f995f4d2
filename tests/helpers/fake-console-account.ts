import type { ConsoleAccount } from '../../shared/console-access/console-iam.ts';
import { IamAccountError, IamEntityNotFoundError } from '../../shared/kernel/errors.ts';

interface FakeConsoleUser {
  tags: Record<string, string>;
  hasPassword: boolean;
  passwordLastUsed?: Date;
}

/** An in-memory `ConsoleAccount`: users, their tags and console passwords; calls are logged; failures on demand. */
export class FakeConsoleAccount implements ConsoleAccount {
  readonly users = new Map<string, FakeConsoleUser>();
  readonly calls: string[] = [];
  /** `<method> <user>` pairs that fail with an IamAccountError. */
  readonly failOn = new Set<string>();

  add(userName: string, user: Partial<FakeConsoleUser> = {}): this {
    this.users.set(userName, { tags: {}, hasPassword: true, ...user });
    return this;
  }

  private user(method: string, userName: string): FakeConsoleUser {
    this.calls.push(`${method} ${userName}`);
    if (this.failOn.has(`${method} ${userName}`))
      throw new IamAccountError(`${method} for ${userName} failed: Throttling`);
    const user = this.users.get(userName);
    if (user === undefined) throw new IamEntityNotFoundError(`${method} for ${userName}: not found`);
    return user;
  }

  async listUserTags(userName: string) {
    return { ...this.user('listUserTags', userName).tags };
  }
  async hasLoginProfile(userName: string) {
    return this.user('hasLoginProfile', userName).hasPassword;
  }
  async passwordLastUsed(userName: string) {
    return this.user('passwordLastUsed', userName).passwordLastUsed;
  }
  async deleteLoginProfile(userName: string) {
    this.user('deleteLoginProfile', userName).hasPassword = false;
  }
  async tagUser(userName: string, tags: Record<string, string>) {
    Object.assign(this.user('tagUser', userName).tags, tags);
  }
  async untagUser(userName: string, tagKeys: string[]) {
    const user = this.user('untagUser', userName);
    for (const key of tagKeys) delete user.tags[key];
  }
}
