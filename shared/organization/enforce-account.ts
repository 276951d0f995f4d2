import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccountName, AwsCredentials } from '../kernel/index.ts';
import type { KeyEnforcementSummary } from '../key-enforcement/index.ts';
import type { PasswordPolicyReport } from '../password-policy/index.ts';
import { accountRunResult } from './account-result.ts';
import { classifyFailure } from './classify-failure.ts';
import { AccountThrottledError } from './errors.ts';
import type { AccountFailure, AccountRunResult, TargetAccount } from './types.ts';

/** One account's night, as the worker is asked for it (the Map state's item, with the night). */
export interface AccountRunRequest {
  night: string;
  dryRun: boolean;
  account: TargetAccount;
  /**
   * A forecast for the organization guard: a dry run that mails nobody and publishes nothing, so the
   * guard can count what every account would do before any acts.
   */
  forecast?: boolean;
}

/** What a night in one member account needs; `functions/org-enforce-account.ts` and `npm run enforce` build it. */
export interface AccountWorkerDependencies {
  /** Assumes the account's member role. */
  assumeRole: (accountId: string) => Promise<AwsCredentials>;
  /** Jobs inside the account, signed with the member role's credentials. */
  jobsIn: (credentials: AwsCredentials, accountId: string) => AccountJobs;
  log: Pick<Logger, 'info' | 'warn'>;
}

export interface AccountJobOptions {
  dryRun: boolean;
  /** No mail, no audit events. */
  forecast: boolean;
  account: AccountName;
}

export interface AccountJobs {
  /** The account's id and alias. */
  nameAccount: () => Promise<AccountName>;
  /** Tonight's key enforcement, exactly as a single-account run does it; hands over the key inventory. */
  enforceKeys: (
    options: AccountJobOptions,
    onKeyInventory: (records: string[][]) => void,
  ) => Promise<KeyEnforcementSummary>;
  enforcePasswordPolicy: (options: AccountJobOptions) => Promise<PasswordPolicyReport>;
  /** Stores the inventory and returns where it went; absent: the inventory travels in the result. */
  storeInventory?: (records: string[][]) => Promise<string>;
}

/**
 * Runs one member account's night: assume its member role, name it, enforce its keys and its password
 * policy with the same code as a single-account run, then report. Any failure is returned as a `failed`
 * result (so the Map goes on with the other accounts), except throttling past the SDK's retries, which is
 * thrown as `AccountThrottledError` for the state machine's Retry to run the account again later.
 * @throws {AccountThrottledError} when AWS kept throttling the account.
 */
export async function enforceAccount(
  deps: AccountWorkerDependencies,
  request: AccountRunRequest,
): Promise<AccountRunResult> {
  const forecast = request.forecast ?? false;
  const dryRun = request.dryRun || forecast;
  let target: TargetAccount = request.account;
  let keys: KeyEnforcementSummary | undefined;
  let passwordPolicy: PasswordPolicyReport | undefined;
  let records: string[][] | undefined;
  const failures: AccountFailure[] = [];
  let jobs: AccountJobs | undefined;
  try {
    const { accountId } = request.account;
    jobs = deps.jobsIn(await deps.assumeRole(accountId), accountId);
    const name = await jobs.nameAccount();
    target = { ...request.account, ...(name.alias === undefined ? {} : { alias: name.alias }) };
    const options: AccountJobOptions = { dryRun, forecast, account: name };
    try {
      keys = await jobs.enforceKeys(options, (inventory) => {
        records = inventory;
      });
    } catch (error: unknown) {
      failures.push(classifyFailure(error));
    }
    // The password policy is a separate job: a key run that failed does not stop it, as in one account.
    try {
      passwordPolicy = await jobs.enforcePasswordPolicy(options);
    } catch (error: unknown) {
      const failure = classifyFailure(error);
      failures.push({ ...failure, message: `password policy: ${failure.message}` });
    }
  } catch (error: unknown) {
    failures.push(classifyFailure(error));
  }
  const failure = failures.find((found) => found.kind === 'throttled') ?? failures[0];
  if (failure?.kind === 'throttled') {
    deps.log.warn('Account throttled past retries: the state machine retries it', {
      accountId: request.account.accountId,
      failure,
    });
    throw new AccountThrottledError(request.account.accountId, failure.message);
  }
  const inventory = await placeInventory(jobs, records, deps);
  const result = accountRunResult({
    account: target,
    dryRun,
    ...(keys === undefined ? {} : { keys }),
    ...(passwordPolicy === undefined ? {} : { passwordPolicy }),
    ...(failure === undefined ? {} : { failure }),
    ...(inventory === undefined ? {} : { inventory }),
  });
  deps.log.info('Account finished', {
    accountId: result.accountId,
    status: result.status,
    counts: result.counts,
  });
  return result;
}

async function placeInventory(
  jobs: AccountJobs | undefined,
  records: string[][] | undefined,
  deps: AccountWorkerDependencies,
): Promise<{ key: string } | { records: string[][] } | undefined> {
  if (records === undefined) return undefined;
  if (jobs?.storeInventory === undefined) return { records };
  try {
    return { key: await jobs.storeInventory(records) };
  } catch (error: unknown) {
    // The digest then lacks this account's keys in its CSV; the night's work itself is done.
    deps.log.warn('The key inventory could not be stored', { error: classifyFailure(error).message });
    return undefined;
  }
}
