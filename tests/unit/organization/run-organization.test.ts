import { describe, expect, it } from 'vitest';
import {
  type AccountListing,
  type AccountRunRequest,
  type AccountRunResult,
  AccountThrottledError,
  type OrganizationRunSummary,
  runOrganization,
} from '../../../shared/organization/index.ts';
import { accountResult } from '../../helpers/organization-results.ts';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'].map((accountId) => ({
  accountId,
  name: `n${accountId[0]}`,
}));
const listing: AccountListing = { night: '2026-11-30', dryRun: false, accounts: ACCOUNTS, skipped: [] };
const RETRY = { retries: 2, intervalMs: 1000 };

function harness(work: (request: AccountRunRequest, attempt: number) => Promise<AccountRunResult>) {
  const requests: AccountRunRequest[] = [];
  const lines: string[] = [];
  const sleeps: number[] = [];
  const digests: Parameters<Parameters<typeof runOrganization>[0]['digest']>[0][] = [];
  const attempts = new Map<string, number>();
  return {
    requests,
    lines,
    sleeps,
    digests,
    deps: {
      listAccounts: async () => listing,
      enforceAccount: async (request: AccountRunRequest) => {
        requests.push(request);
        const attempt = (attempts.get(request.account.accountId) ?? 0) + 1;
        attempts.set(request.account.accountId, attempt);
        return work(request, attempt);
      },
      digest: async (input: (typeof digests)[number]) => {
        digests.push(input);
        return { totals: { accounts: input.results.length } } as OrganizationRunSummary;
      },
      onAccount: (result: AccountRunResult, finished: number, total: number, phase: string) =>
        lines.push(`${phase} ${finished}/${total} ${result.accountId} ${result.status}`),
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
    },
  };
}

const done = (request: AccountRunRequest, planned = 1) =>
  accountResult({
    ...request.account,
    dryRun: request.dryRun || (request.forecast ?? false),
    counts: { planned },
  });

describe('runOrganization', () => {
  it('runs every account once, one line each, then the digest of them all', async () => {
    const run = harness(async (request) => done(request));

    const { results } = await runOrganization(run.deps, {
      maxConcurrency: 2,
      maxActions: undefined,
      retry: RETRY,
    });

    expect(run.requests.map((request) => [request.account.accountId, request.forecast])).toEqual(
      ACCOUNTS.map((account) => [account.accountId, false]),
    );
    expect(run.lines).toHaveLength(3);
    expect(run.lines.map((line) => line.split(' ')[1])).toEqual(['1/3', '2/3', '3/3']);
    expect(results.map((result) => result.status)).toEqual(['done', 'done', 'done']);
    expect(run.digests).toHaveLength(1);
    expect(run.digests[0]?.guard).toBeUndefined();
  });

  it('retries a throttled account with doubling waits, and reports it throttled out after the last retry', async () => {
    const run = harness(async (request) => {
      if (request.account.accountId === '222222222222')
        throw new AccountThrottledError('222222222222', 'IAM throttled');
      return done(request);
    });

    const { results } = await runOrganization(run.deps, {
      maxConcurrency: 1,
      maxActions: undefined,
      retry: RETRY,
    });

    expect(run.requests.filter((request) => request.account.accountId === '222222222222')).toHaveLength(3);
    expect(run.sleeps).toEqual([1000, 2000]);
    expect(results[1]).toMatchObject({
      status: 'failed',
      failure: { kind: 'throttled', message: 'AccountThrottledError: IAM throttled' },
    });
    expect(results.filter((result) => result.status === 'done')).toHaveLength(2);
  });

  it('finishes an account that succeeds on a retry', async () => {
    const run = harness(async (request, attempt) => {
      if (attempt === 1) throw new AccountThrottledError(request.account.accountId, 'throttled');
      return done(request);
    });

    const { results } = await runOrganization(run.deps, {
      maxConcurrency: 3,
      maxActions: undefined,
      retry: RETRY,
    });

    expect(results.every((result) => result.status === 'done')).toBe(true);
  });

  it('reports any other thrown error as that account’s failure and goes on', async () => {
    const run = harness(async (request) => {
      if (request.account.accountId === '111111111111') throw new Error('socket hang up');
      return done(request);
    });

    const { results } = await runOrganization(run.deps, {
      maxConcurrency: 2,
      maxActions: undefined,
      retry: RETRY,
    });

    expect(results.map((result) => result.status)).toEqual(['failed', 'done', 'done']);
    expect(run.sleeps).toEqual([]);
  });

  it.each([
    ['at the limit: forecast, then every account acts', 3, false, 6],
    ['over the limit: forecast only, no account acts', 2, true, 3],
  ])('with an organization guard %s', async (_case, maxActions, tripped, requests) => {
    const run = harness(async (request) => done(request));

    const { results } = await runOrganization(run.deps, { maxConcurrency: 2, maxActions, retry: RETRY });

    expect(run.requests).toHaveLength(requests);
    expect(run.requests.slice(0, 3).every((request) => request.forecast)).toBe(true);
    expect(run.requests.slice(3).every((request) => !request.forecast)).toBe(true);
    expect(run.digests[0]?.guard).toEqual({ limit: maxActions, planned: 3, tripped });
    expect(results.every((result) => result.dryRun === tripped)).toBe(true);
  });

  it('skips the forecast in a dry run: nothing acts anyway', async () => {
    const run = harness(async (request) => done(request));
    run.deps.listAccounts = async () => ({ ...listing, dryRun: true });

    await runOrganization(run.deps, { maxConcurrency: 2, maxActions: 0, retry: RETRY });

    expect(run.requests.map((request) => request.forecast)).toEqual([false, false, false]);
  });
});
