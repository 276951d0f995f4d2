import { describe, expect, it } from 'vitest';
import {
  type AccountListing,
  type AccountRunResult,
  checkOrganizationGuard,
  collectResults,
} from '../../../shared/organization/index.ts';
import { accountResult } from '../../helpers/organization-results.ts';

const listing: AccountListing = {
  night: '2026-11-30',
  dryRun: false,
  accounts: [
    { accountId: '111111111111', name: 'payments' },
    { accountId: '222222222222', name: 'analytics' },
  ],
  skipped: [],
};

describe('collectResults', () => {
  it('takes worker outputs as they are, in the listing’s order', () => {
    const second = accountResult({ accountId: '222222222222', name: 'analytics' });
    const first = accountResult({ accountId: '111111111111', name: 'payments', alias: 'payments-prod' });

    expect(collectResults(listing, [second, first])).toEqual([first, second]);
  });

  it.each([
    [
      'a Catch after the Retry gave up on throttling',
      {
        account: { accountId: '222222222222', name: 'analytics' },
        error: {
          Error: 'AccountThrottledError',
          Cause: '{"errorType":"AccountThrottledError","errorMessage":"IAM throttled"}',
        },
      },
      { kind: 'throttled', message: 'AccountThrottledError: IAM throttled' },
    ],
    [
      'a Catch of a task that timed out',
      { account: { accountId: '222222222222', name: 'analytics' }, error: { Error: 'States.Timeout' } },
      { kind: 'error', message: 'States.Timeout: ' },
    ],
    [
      'a failed child execution as the ResultWriter stores it',
      {
        input: { account: { accountId: '222222222222', name: 'analytics' } },
        error: 'Lambda.ServiceException',
        cause: 'Rate exceeded',
      },
      { kind: 'error', message: 'Lambda.ServiceException: Rate exceeded' },
    ],
  ])('reads %s as that account’s failure', (_case, iteration, failure) => {
    const [, analytics] = collectResults(listing, [
      accountResult({ accountId: '111111111111', name: 'payments' }),
      iteration,
    ]);

    expect(analytics).toMatchObject({
      accountId: '222222222222',
      name: 'analytics',
      status: 'failed',
      failure,
    });
  });

  it('reports a listed account with no result, and says what could not be read', () => {
    const [, analytics] = collectResults(listing, [
      accountResult({ accountId: '111111111111', name: 'payments' }),
      { nonsense: true },
    ]);

    expect(analytics?.status).toBe('failed');
    expect(analytics?.failure?.message).toContain('unreadable results: {"nonsense":true}');
  });

  it('reports a lost iteration when every result was readable', () => {
    const [payments] = collectResults(listing, []);

    expect(payments?.failure).toEqual({
      kind: 'error',
      message: 'no result for this account (its iteration was lost)',
    });
  });
});

describe('checkOrganizationGuard', () => {
  const planned = (count: number): AccountRunResult =>
    accountResult({ accountId: '111111111111', name: 'a', counts: { planned: count } });

  it.each([
    [[3, 4], 7, false],
    [[3, 4], 6, true],
    [[0, 0], 0, false],
    [[1], 0, true],
    [[], 0, false],
  ])('plans %j against a limit of %i: tripped %s', (counts, limit, tripped) => {
    expect(checkOrganizationGuard(counts.map(planned), limit)).toEqual({
      limit,
      planned: counts.reduce((sum, count) => sum + count, 0),
      tripped,
    });
  });
});
