import { IamAccountError, IamEntityNotFoundError } from '../../shared/kernel/errors.ts';
import type { IamAccount } from '../../shared/key-enforcement/iam-account.ts';
import type { LiveAccessKey } from '../../shared/key-enforcement/types.ts';

type Method = keyof IamAccount;

/**
 * An in-memory IAM account behind the `IamAccount` port: keys, tags and last use per user, every call
 * recorded, and failures injectable per method and user (or key).
 */
export class FakeIamAccount implements IamAccount {
  readonly calls: { method: Method; target: string }[] = [];
  private readonly keys = new Map<string, LiveAccessKey[]>();
  private readonly tags = new Map<string, Record<string, string>>();
  private readonly lastUses = new Map<string, Date>();
  private readonly failures: { method: Method; target: string; error: Error }[] = [];
  /** Runs before a method answers, e.g. to change the account between plan and act. */
  beforeCall?: (method: Method, target: string) => void;

  addUser(userName: string, keys: LiveAccessKey[] = [], tags: Record<string, string> = {}): this {
    this.keys.set(
      userName,
      keys.map((key) => ({ ...key })),
    );
    this.tags.set(userName, { ...tags });
    return this;
  }

  setLastUse(accessKeyId: string, date: Date): void {
    this.lastUses.set(accessKeyId, date);
  }

  failOn(
    method: Method,
    target: string,
    error: Error = new IamAccountError(`${method} failed: ServiceFailure`),
  ): void {
    this.failures.push({ method, target, error });
  }

  keysOf(userName: string): LiveAccessKey[] {
    return this.keys.get(userName) ?? [];
  }

  tagsOf(userName: string): Record<string, string> {
    return this.tags.get(userName) ?? {};
  }

  callsOf(method: Method): string[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.target);
  }

  /** Calls that change the account. */
  writes(): { method: Method; target: string }[] {
    const reads: Method[] = ['listAccessKeys', 'listUserTags', 'userTagsInBulk', 'lastUsed'];
    return this.calls.filter((call) => !reads.includes(call.method));
  }

  async listAccessKeys(userName: string): Promise<LiveAccessKey[]> {
    this.enter('listAccessKeys', userName);
    return this.user(userName).map((key) => ({ ...key }));
  }

  async listUserTags(userName: string): Promise<Record<string, string>> {
    this.enter('listUserTags', userName);
    this.user(userName);
    return { ...this.tagsOf(userName) };
  }

  async userTagsInBulk(): Promise<Map<string, Record<string, string>>> {
    this.enter('userTagsInBulk', '*');
    return new Map([...this.tags].map(([userName, tags]) => [userName, { ...tags }]));
  }

  async lastUsed(accessKeyId: string): Promise<Date | undefined> {
    this.enter('lastUsed', accessKeyId);
    return this.lastUses.get(accessKeyId);
  }

  async deactivateAccessKey(userName: string, accessKeyId: string): Promise<void> {
    this.enter('deactivateAccessKey', accessKeyId);
    this.key(userName, accessKeyId).status = 'Inactive';
  }

  async deleteAccessKey(userName: string, accessKeyId: string): Promise<void> {
    this.enter('deleteAccessKey', accessKeyId);
    this.key(userName, accessKeyId);
    this.keys.set(
      userName,
      this.user(userName).filter((key) => key.accessKeyId !== accessKeyId),
    );
  }

  async tagUser(userName: string, tags: Record<string, string>): Promise<void> {
    this.enter('tagUser', userName);
    this.user(userName);
    this.tags.set(userName, { ...this.tagsOf(userName), ...tags });
  }

  async untagUser(userName: string, tagKeys: string[]): Promise<void> {
    this.enter('untagUser', userName);
    this.user(userName);
    const remaining = Object.entries(this.tagsOf(userName)).filter(([key]) => !tagKeys.includes(key));
    this.tags.set(userName, Object.fromEntries(remaining));
  }

  private enter(method: Method, target: string): void {
    this.calls.push({ method, target });
    this.beforeCall?.(method, target);
    const failure = this.failures.find(
      (candidate) => candidate.method === method && candidate.target === target,
    );
    if (failure) throw failure.error;
  }

  private user(userName: string): LiveAccessKey[] {
    const keys = this.keys.get(userName);
    if (keys === undefined) throw new IamEntityNotFoundError(`user ${userName}: not found`);
    return keys;
  }

  private key(userName: string, accessKeyId: string): LiveAccessKey {
    const key = this.user(userName).find((candidate) => candidate.accessKeyId === accessKeyId);
    if (key === undefined) throw new IamEntityNotFoundError(`key ${accessKeyId}: not found`);
    return key;
  }
}
