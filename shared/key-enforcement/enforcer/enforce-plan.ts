import { describeError, IamEntityNotFoundError, readableDate } from '../../kernel/index.ts';
import type { IamAccount } from '../iam-account.ts';
import { deactivatedTag, recordTagsFor } from '../key-records.ts';
import type { EnforcementResult, Guard, KeyResult, RecordResult } from '../types.ts';
import {
  isDestructive,
  type KeyDecision,
  type KeyPlan,
  type KeyRecordChange,
  type LiveAccessKey,
} from '../types.ts';

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
  if (mismatch === KEY_GONE) return forgetGoneKey(decision, options.account);
  if (mismatch !== undefined) return { decision, outcome: 'skipped', detail: mismatch };
  const actedAt = options.actionTime();
  return decision.decision === 'deactivate'
    ? deactivate(decision, actedAt, options.account)
    : remove(decision, actedAt, options.account);
}

/**
 * Records the deactivation, then deactivates. In this order a run that dies in between (a Lambda timeout)
 * leaves an active key with a record, which the next run drops as stale and writes again as it
 * deactivates the key; the other order would leave an inactive key with no record, which the next run takes
 * for a key someone else deactivated: a later grace period, and an owner never told. A record that cannot
 * be written does not hold the deactivation back (the grace period then starts when the key is next seen
 * inactive: later, never earlier); a deactivation that fails keeps its record, which is right if IAM made the
 * change but lost its answer, and is dropped by the next run if not.
 */
async function deactivate(decision: KeyDecision, actedAt: Date, account: IamAccount): Promise<KeyResult> {
  const { userName, accessKeyId } = decision;
  let recordProblem: string | undefined;
  try {
    await account.tagUser(userName, { [deactivatedTag(accessKeyId)]: actedAt.toISOString() });
  } catch (error: unknown) {
    recordProblem = `the deactivation record failed: ${describeError(error)}`;
  }
  try {
    await account.deactivateAccessKey(userName, accessKeyId);
  } catch (error: unknown) {
    return changeFailed(decision, error, account);
  }
  return {
    decision,
    outcome: 'done',
    actedAt,
    ...(recordProblem === undefined ? {} : { detail: recordProblem }),
  };
}

/** Deletes the key, then its records (they describe a key that no longer exists). */
async function remove(decision: KeyDecision, actedAt: Date, account: IamAccount): Promise<KeyResult> {
  const { userName, accessKeyId } = decision;
  try {
    await account.deleteAccessKey(userName, accessKeyId);
  } catch (error: unknown) {
    return changeFailed(decision, error, account);
  }
  try {
    await account.untagUser(userName, recordTagsFor(accessKeyId));
    return { decision, outcome: 'done', actedAt };
  } catch (error: unknown) {
    // The key is gone; its records are stale and the next run removes them.
    return {
      decision,
      outcome: 'done',
      actedAt,
      detail: `the removal of its records failed: ${describeError(error)}`,
    };
  }
}

async function changeFailed(decision: KeyDecision, error: unknown, account: IamAccount): Promise<KeyResult> {
  if (error instanceof IamEntityNotFoundError) return forgetGoneKey(decision, account);
  return { decision, outcome: 'failed', detail: describeError(error) };
}

const KEY_GONE = 'the key no longer exists';

/**
 * A planned key someone else deleted: skipped, and its records removed now, because a user left with no
 * key is never looked at again and the records would stay forever. A failure to remove them is not
 * reported: the key is not ours to act on any more.
 */
async function forgetGoneKey(decision: KeyDecision, account: IamAccount): Promise<KeyResult> {
  try {
    await account.untagUser(decision.userName, recordTagsFor(decision.accessKeyId));
  } catch {
    // Left for the next run that looks at this user.
  }
  return { decision, outcome: 'skipped', detail: KEY_GONE };
}

/** Why the live key no longer matches the plan, or `undefined` when it does. */
async function liveMismatch(
  decision: KeyDecision,
  live: LiveAccessKey[],
  account: IamAccount,
): Promise<string | undefined> {
  const key = live.find((candidate) => candidate.accessKeyId === decision.accessKeyId);
  if (key === undefined) return KEY_GONE;
  if (key.status !== decision.status)
    return `its status changed from ${decision.status} to ${key.status} since planning`;
  if (key.createDate.getTime() !== decision.createDate.getTime()) {
    return `its creation date is ${readableDate(key.createDate)}, not ${readableDate(decision.createDate)} as planned`;
  }
  if (decision.decision === 'deactivate' && decision.deactivationRule === 'unused') {
    const lastUsed = await account.lastUsed(decision.accessKeyId);
    const planned = decision.lastUsedDate?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (lastUsed !== undefined && lastUsed.getTime() > planned) {
      return `it was used on ${readableDate(lastUsed)}, after the plan was made`;
    }
  }
  return undefined;
}
