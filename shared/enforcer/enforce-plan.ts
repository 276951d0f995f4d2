import { describeError } from '../aws-errors.ts';
import { IamEntityNotFoundError } from '../iam/errors.ts';
import type { IamAccount } from '../iam/iam-account.ts';
import { deactivatedTag, recordTagsFor } from '../key-policy/key-records.ts';
import {
  isDestructive,
  type KeyDecision,
  type KeyPlan,
  type KeyRecordChange,
  type LiveAccessKey,
} from '../key-policy/types.ts';

/**
 * What became of a decision: `done` (the change was made), `skipped` (the live re-check found the key not
 * as planned), `failed`, `dry-run`, `held-by-guard`, or `reported` (warn, exempt and skip decisions,
 * which change nothing).
 */
export type KeyOutcome = 'done' | 'skipped' | 'failed' | 'dry-run' | 'held-by-guard' | 'reported';

export interface KeyResult {
  decision: KeyDecision;
  outcome: KeyOutcome;
  /** Why it was skipped or failed, or what went wrong after it was done. */
  detail?: string;
  actedAt?: Date;
}

export interface RecordResult {
  change: KeyRecordChange;
  outcome: 'done' | 'failed' | 'dry-run' | 'held-by-guard';
  detail?: string;
}

export interface Guard {
  limit: number;
  planned: number;
  tripped: boolean;
}

export interface EnforcementResult {
  keys: KeyResult[];
  records: RecordResult[];
}

export interface EnforceOptions {
  account: IamAccount;
  dryRun: boolean;
  guard: Guard;
  /** The real time of each change, for the deactivation record (not the decision clock). */
  actionTime: () => Date;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Counts the destructive decisions of a plan against the per-run limit. Tripped: act on none, because a
 * plan that large more likely comes from a mistake (a bad clock, a wrong setting) than from the account.
 */
export function checkGuard(plan: KeyPlan, limit: number): Guard {
  const planned = plan.decisions.filter((decision) => isDestructive(decision.decision)).length;
  return { limit, planned, tripped: planned > limit };
}

/**
 * Applies a plan, user by user. Before each change the user's keys are listed live: the key must still
 * exist with the status and creation date the plan saw, else it is skipped with the reason. One user's
 * failure never stops the others; every failure is in the result. Nothing is changed or recorded in a dry
 * run or when the guard has tripped.
 */
export async function enforcePlan(plan: KeyPlan, options: EnforceOptions): Promise<EnforcementResult> {
  const hold: 'dry-run' | 'held-by-guard' | undefined = options.dryRun
    ? 'dry-run'
    : options.guard.tripped
      ? 'held-by-guard'
      : undefined;
  const keys: KeyResult[] = plan.decisions
    .filter((decision) => decision.decision !== 'none' && !isDestructive(decision.decision))
    .map((decision): KeyResult => ({ decision, outcome: 'reported' }));
  const actions = plan.decisions.filter((decision) => isDestructive(decision.decision));

  if (hold !== undefined) {
    return {
      keys: [...keys, ...actions.map((decision): KeyResult => ({ decision, outcome: hold }))],
      records: plan.recordChanges.map((change): RecordResult => ({ change, outcome: hold })),
    };
  }

  const records: RecordResult[] = [];
  const userNames = [...new Set([...plan.recordChanges, ...actions].map((item) => item.userName))];
  for (const [index, userName] of userNames.entries()) {
    // Records first: a stale record removed here may be rewritten by a deactivation below.
    const change = plan.recordChanges.find((candidate) => candidate.userName === userName);
    if (change !== undefined) records.push(await applyRecordChange(change, options.account));
    const userActions = actions.filter((decision) => decision.userName === userName);
    if (userActions.length > 0) keys.push(...(await actOnUser(userName, userActions, options)));
    options.onProgress?.(index + 1, userNames.length);
  }
  return { keys, records };
}

async function applyRecordChange(change: KeyRecordChange, account: IamAccount): Promise<RecordResult> {
  try {
    if (change.remove.length > 0) await account.untagUser(change.userName, change.remove);
    if (Object.keys(change.set).length > 0) await account.tagUser(change.userName, change.set);
    return { change, outcome: 'done' };
  } catch (error: unknown) {
    return { change, outcome: 'failed', detail: describeError(error) };
  }
}

async function actOnUser(
  userName: string,
  decisions: KeyDecision[],
  options: EnforceOptions,
): Promise<KeyResult[]> {
  let live: LiveAccessKey[];
  try {
    live = await options.account.listAccessKeys(userName);
  } catch (error: unknown) {
    if (error instanceof IamEntityNotFoundError) {
      return decisions.map((decision) => ({
        decision,
        outcome: 'skipped',
        detail: 'the user no longer exists',
      }));
    }
    const detail = `live re-check failed: ${describeError(error)}`;
    return decisions.map((decision) => ({ decision, outcome: 'failed', detail }));
  }
  const results: KeyResult[] = [];
  for (const decision of decisions) {
    results.push(await actOnKey(decision, live, options));
  }
  return results;
}

async function actOnKey(
  decision: KeyDecision,
  live: LiveAccessKey[],
  options: EnforceOptions,
): Promise<KeyResult> {
  let mismatch: string | undefined;
  try {
    mismatch = await liveMismatch(decision, live, options.account);
  } catch (error: unknown) {
    return { decision, outcome: 'failed', detail: `live re-check failed: ${describeError(error)}` };
  }
  if (mismatch !== undefined) return { decision, outcome: 'skipped', detail: mismatch };
  const { account } = options;
  const { userName, accessKeyId } = decision;
  const actedAt = options.actionTime();
  try {
    if (decision.decision === 'deactivate') await account.deactivateAccessKey(userName, accessKeyId);
    else await account.deleteAccessKey(userName, accessKeyId);
  } catch (error: unknown) {
    if (error instanceof IamEntityNotFoundError) {
      return { decision, outcome: 'skipped', detail: 'the key no longer exists' };
    }
    return { decision, outcome: 'failed', detail: describeError(error) };
  }
  try {
    if (decision.decision === 'deactivate') {
      await account.tagUser(userName, { [deactivatedTag(accessKeyId)]: actedAt.toISOString() });
    } else {
      await account.untagUser(userName, recordTagsFor(accessKeyId));
    }
    return { decision, outcome: 'done', actedAt };
  } catch (error: unknown) {
    // The key change stands; only the record is missing. For a deactivation the grace period then starts
    // when the key is next seen inactive, which is later, never earlier: safe.
    const what =
      decision.decision === 'deactivate' ? 'the deactivation record' : 'the removal of its records';
    return { decision, outcome: 'done', actedAt, detail: `${what} failed: ${describeError(error)}` };
  }
}

/** Why the live key no longer matches the plan, or `undefined` when it does. */
async function liveMismatch(
  decision: KeyDecision,
  live: LiveAccessKey[],
  account: IamAccount,
): Promise<string | undefined> {
  const key = live.find((candidate) => candidate.accessKeyId === decision.accessKeyId);
  if (key === undefined) return 'the key no longer exists';
  if (key.status !== decision.status)
    return `its status changed from ${decision.status} to ${key.status} since planning`;
  if (key.createDate.getTime() !== decision.createDate.getTime()) {
    return `its creation date is ${key.createDate.toISOString()}, not ${decision.createDate.toISOString()} as planned`;
  }
  if (decision.decision === 'deactivate' && decision.deactivationRule === 'unused') {
    const lastUsed = await account.lastUsed(decision.accessKeyId);
    const planned = decision.lastUsedDate?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (lastUsed !== undefined && lastUsed.getTime() > planned) {
      return `it was used on ${lastUsed.toISOString()}, after the plan was made`;
    }
  }
  return undefined;
}
