import { z } from 'zod';
import { emptyCounts } from './account-result.ts';
import type { AccountFailureKind, AccountListing, AccountRunResult, TargetAccount } from './types.ts';

const counts = z.object({
  deactivated: z.number(),
  deleted: z.number(),
  warned: z.number(),
  exempt: z.number(),
  held: z.number(),
  failed: z.number(),
  backlog: z.number(),
  planned: z.number(),
  ownersMailed: z.number(),
  ownerMailFailed: z.number(),
});

/** A worker's output, as it comes back through the state machine. */
export const accountRunResultSchema = z.object({
  accountId: z.string(),
  name: z.string(),
  alias: z.string().optional(),
  status: z.enum(['done', 'failed']),
  dryRun: z.boolean(),
  failure: z
    .object({ kind: z.enum(['role-missing', 'access-denied', 'throttled', 'error']), message: z.string() })
    .optional(),
  counts,
  guardTripped: z.boolean(),
  passwordPolicyChanged: z.boolean(),
  passwordPolicyOutcome: z.string().optional(),
  rootKeyFindings: z.number(),
  keysCsvKey: z.string().optional(),
  keys: z.array(z.array(z.string())).optional(),
});

/**
 * A Map iteration that failed for good, as a Catch hands it on (`{ account, error: { Error, Cause } }`) or
 * as the ResultWriter stores it (`{ input: { account }, error, cause }`).
 */
const caughtSchema = z.union([
  z.object({
    account: z.object({ accountId: z.string(), name: z.string() }),
    error: z.object({ Error: z.string(), Cause: z.string().optional() }),
  }),
  z.object({
    input: z.object({ account: z.object({ accountId: z.string(), name: z.string() }) }),
    error: z.string(),
    cause: z.string(),
  }),
]);

/** The failure kind an iteration's error name means: the throttling the Retry gave up on, a timeout, ... */
function kindOfError(errorName: string): AccountFailureKind {
  if (errorName === 'AccountThrottledError') return 'throttled';
  if (errorName === 'MemberRoleUnavailableError') return 'role-missing';
  return 'error';
}

function failedResult(
  account: TargetAccount,
  dryRun: boolean,
  kind: AccountFailureKind,
  message: string,
): AccountRunResult {
  return {
    accountId: account.accountId,
    name: account.name,
    status: 'failed',
    dryRun,
    failure: { kind, message },
    counts: emptyCounts(),
    guardTripped: false,
    passwordPolicyChanged: false,
    rootKeyFindings: 0,
  };
}

/**
 * One result per listed account, from whatever the Map returned: worker outputs, iterations that failed
 * for good (throttled out after the Retry, timed out), and, for a listed account with no result at all,
 * a failure saying so. Anything unrecognisable is reported, never dropped silently. Pure.
 */
export function collectResults(listing: AccountListing, iterations: unknown[]): AccountRunResult[] {
  const byAccount = new Map<string, AccountRunResult>();
  const unreadable: string[] = [];
  for (const iteration of iterations) {
    const result = accountRunResultSchema.safeParse(iteration);
    if (result.success) {
      byAccount.set(result.data.accountId, result.data as AccountRunResult);
      continue;
    }
    const caught = caughtSchema.safeParse(iteration);
    if (!caught.success) {
      unreadable.push(JSON.stringify(iteration).slice(0, 200));
      continue;
    }
    const { account, errorName, cause } =
      'account' in caught.data
        ? {
            account: caught.data.account,
            errorName: caught.data.error.Error,
            cause: caught.data.error.Cause ?? '',
          }
        : { account: caught.data.input.account, errorName: caught.data.error, cause: caught.data.cause };
    const known = listing.accounts.find((listed) => listed.accountId === account.accountId) ?? account;
    byAccount.set(
      account.accountId,
      failedResult(known, listing.dryRun, kindOfError(errorName), `${errorName}: ${causeMessage(cause)}`),
    );
  }
  return listing.accounts.map(
    (account) =>
      byAccount.get(account.accountId) ??
      failedResult(
        account,
        listing.dryRun,
        'error',
        unreadable.length > 0
          ? `no readable result for this account; unreadable results: ${unreadable.join(' | ')}`
          : 'no result for this account (its iteration was lost)',
      ),
  );
}

// A Lambda error's Cause is the JSON {errorType, errorMessage, ...}; keep its message.
function causeMessage(cause: string): string {
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed)
      return String(parsed.errorMessage);
  } catch {
    // Not JSON: the cause is the message.
  }
  return cause;
}
