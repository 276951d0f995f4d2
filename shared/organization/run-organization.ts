import { mapWithConcurrency } from './bounded-map.ts';
import { collectResults } from './collect-results.ts';
import type { AccountRunRequest } from './enforce-account.ts';
import { checkOrganizationGuard } from './organization-guard.ts';
import type { OrganizationRunSummary } from './send-organization-digest.ts';
import type { AccountListing, AccountRunResult, OrganizationGuard, TargetAccount } from './types.ts';

/** How a throttled account is tried again: as the state machine's Retry on `AccountThrottledError`. */
export interface ThrottleRetry {
  /** Further attempts after the first. */
  retries: number;
  /** Wait before the first retry; doubles each time. */
  intervalMs: number;
}

export const THROTTLE_RETRY: ThrottleRetry = { retries: 2, intervalMs: 30_000 };

export interface OrganizationRunDependencies {
  listAccounts: () => Promise<AccountListing>;
  /** The worker: returns the account's result, throws `AccountThrottledError` when throttled out. */
  enforceAccount: (request: AccountRunRequest) => Promise<AccountRunResult>;
  digest: (input: {
    listing: AccountListing;
    results: AccountRunResult[];
    guard?: OrganizationGuard;
  }) => Promise<OrganizationRunSummary>;
  /** One line per account as it finishes. */
  onAccount: (result: AccountRunResult, finished: number, total: number, phase: 'forecast' | 'run') => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface OrganizationRunOptions {
  maxConcurrency: number;
  /** ORG_MAX_ACTIONS: set, every account is forecast first and none acts when the total passes it. */
  maxActions: number | undefined;
  retry: ThrottleRetry;
}

/**
 * The nightly organization run by hand (`npm run enforce -- --org`), doing what the state machine does:
 * list the accounts, run the worker over them with at most `maxConcurrency` at once (a throttled account
 * is retried as the Retry does; a failed one is reported and never stops the others), then the digest.
 * With an organization guard, a forecast of every account comes first and no account acts if it trips.
 */
export async function runOrganization(
  deps: OrganizationRunDependencies,
  options: OrganizationRunOptions,
): Promise<{ listing: AccountListing; results: AccountRunResult[]; summary: OrganizationRunSummary }> {
  const listing = await deps.listAccounts();
  const runAll = async (forecast: boolean) => {
    let finished = 0;
    const outcomes = await mapWithConcurrency(listing.accounts, options.maxConcurrency, async (account) => {
      const outcome = await withThrottleRetry(
        () => deps.enforceAccount({ night: listing.night, dryRun: listing.dryRun, account, forecast }),
        account,
        options.retry,
        deps.sleep,
      );
      finished += 1;
      const [result] = collectResults({ ...listing, accounts: [account] }, [outcome]);
      if (result !== undefined)
        deps.onAccount(result, finished, listing.accounts.length, forecast ? 'forecast' : 'run');
      return outcome;
    });
    return collectResults(listing, outcomes);
  };

  let guard: OrganizationGuard | undefined;
  if (options.maxActions !== undefined && !listing.dryRun) {
    const forecasts = await runAll(true);
    guard = checkOrganizationGuard(forecasts, options.maxActions);
    if (guard.tripped) {
      const summary = await deps.digest({ listing, results: forecasts, guard });
      return { listing, results: forecasts, summary };
    }
  }
  const results = await runAll(false);
  const summary = await deps.digest({ listing, results, ...(guard === undefined ? {} : { guard }) });
  return { listing, results, summary };
}

/** Runs an account, retrying while it is throttled out; the last throttling becomes a caught failure. */
async function withThrottleRetry(
  run: () => Promise<AccountRunResult>,
  account: TargetAccount,
  retry: ThrottleRetry,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<unknown> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await run();
    } catch (error: unknown) {
      const name = error instanceof Error ? error.name : '';
      const message = error instanceof Error ? error.message : String(error);
      if (name === 'AccountThrottledError' && attempt < retry.retries) {
        await sleep(retry.intervalMs * 2 ** attempt);
        continue;
      }
      // As a Catch hands a failed iteration on: the digest reads it as this account's failure.
      return { account, error: { Error: name || 'Error', Cause: message } };
    }
  }
}
