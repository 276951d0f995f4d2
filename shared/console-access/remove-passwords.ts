import { describeError, IamEntityNotFoundError, isoDay } from '../kernel/index.ts';
import type { ConsoleAccount } from './console-iam.ts';
import { PASSWORD_NOTICE_TAG, PASSWORD_REMOVE_ON_TAG } from './console-records.ts';
import type { ConsoleAccessPlan, ConsoleGuard, PasswordDecision, RemovalResult } from './types.ts';

/** The password removals due tonight, most overdue first: the order a backlog is worked off in. */
export function dueRemovals(plan: ConsoleAccessPlan): PasswordDecision[] {
  return plan.passwords
    .filter((decision) => decision.decision === 'remove')
    .sort((a, b) => (a.removalDate?.getTime() ?? 0) - (b.removalDate?.getTime() ?? 0));
}

export interface RemovalOptions {
  account: ConsoleAccount;
  dryRun: boolean;
  guard: ConsoleGuard;
  /** The real time of each removal, recorded with it. */
  actionTime: () => Date;
}

/**
 * Removes the console passwords the plan says are due tonight: none when the guard tripped; those the
 * per-night limit leaves for a later night wait (the plan's `waits`); in a dry run, none. Each removal is
 * preceded by a live check (GetLoginProfile, GetUser's PasswordLastUsed): a password gone, or used since the
 * plan's report, is skipped. One user's failure never stops the others. Never throws.
 */
export async function removePasswords(
  plan: ConsoleAccessPlan,
  options: RemovalOptions,
): Promise<RemovalResult[]> {
  const results: RemovalResult[] = [];
  for (const decision of dueRemovals(plan)) {
    if (options.guard.tripped) {
      results.push({ decision, outcome: 'held-by-guard' });
    } else if (decision.waits !== undefined) {
      results.push({ decision, outcome: 'waiting', detail: waitingText(decision.waits) });
    } else if (options.dryRun) {
      results.push({ decision, outcome: 'dry-run' });
    } else {
      results.push(await removeOne(decision, options));
    }
  }
  return results;
}

async function removeOne(decision: PasswordDecision, options: RemovalOptions): Promise<RemovalResult> {
  const { account } = options;
  const { userName } = decision;
  try {
    const lastUsed = await account.passwordLastUsed(userName);
    if (!(await account.hasLoginProfile(userName))) {
      return { decision, outcome: 'skipped', detail: 'the user has no console password any more' };
    }
    if (lastUsed !== undefined && lastUsed.getTime() > (decision.lastActivity?.getTime() ?? 0)) {
      return {
        decision,
        outcome: 'skipped',
        detail: `signed in on ${isoDay(lastUsed)}, after the credential report was made: no longer unused`,
      };
    }
    await account.deleteLoginProfile(userName);
  } catch (error: unknown) {
    if (error instanceof IamEntityNotFoundError) {
      return { decision, outcome: 'skipped', detail: 'the user no longer exists' };
    }
    return { decision, outcome: 'failed', detail: describeError(error) };
  }
  const result: RemovalResult = { decision, outcome: 'done', actedAt: options.actionTime() };
  try {
    // The records have served: a password set again starts a new cycle with new warnings.
    await account.untagUser(userName, [PASSWORD_NOTICE_TAG, PASSWORD_REMOVE_ON_TAG]);
  } catch (error: unknown) {
    result.detail = `removed; its warning records were not cleared: ${describeError(error)}`;
  }
  return result;
}

function waitingText(waits: { until?: Date }): string {
  return waits.until === undefined
    ? 'due; removals are paused (PASSWORD_REMOVALS_PER_NIGHT is 0)'
    : `due; left for the night of ${isoDay(waits.until)} by PASSWORD_REMOVALS_PER_NIGHT, the most overdue first`;
}
