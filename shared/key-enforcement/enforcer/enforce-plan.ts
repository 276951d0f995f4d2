import { describeError, IamEntityNotFoundError, isoDay, readableDate } from '../../kernel/index.ts';
import type { IamAccount } from '../iam-account.ts';
import { inactiveSinceTag, recordTagsFor } from '../key-records.ts';
import type { EnforcementResult, Guard, KeyResult, RecordResult } from '../types.ts';
import {
  isDestructive,
  type KeyDecision,
  type KeyPlan,
  type KeyRecordChange,
  type LiveAccessKey,
} from '../types.ts';
import {
  confirmDeactivation,
  type DeactivationRecord,
  recordDeactivation,
  withdrawRecord,
} from './deactivation-record.ts';

export interface EnforceOptions {
  account: IamAccount;
  dryRun: boolean;
  guard: Guard;
  /** The real time of each change, for the deactivation record (not the decision clock). */
  actionTime: () => Date;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Applies a plan, user by user. Right before each change (each key's) the user's keys are listed live: the
 * key must still exist with the status and creation date the plan saw, else it is skipped with the reason. One user's
 * failure never stops the others; every failure is in the result. Nothing is changed or recorded in a dry
 * run or when the guard has tripped; a change the per-night limit leaves for a later night is `waiting`.
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
  const destructive = plan.decisions.filter((decision) => isDestructive(decision.decision));
  const heldByGuard = !options.dryRun && options.guard.tripped;
  // Tonight's share: the rest of what is due waits for the night the schedule gives it.
  const actions = heldByGuard ? destructive : destructive.filter((decision) => decision.waits === undefined);
  if (!heldByGuard) keys.push(...destructive.filter((decision) => decision.waits !== undefined).map(waiting));

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
    if (change !== undefined)
      records.push(await applyRecordChange(change, options.account, options.actionTime));
    const userActions = actions.filter((decision) => decision.userName === userName);
    if (userActions.length > 0) keys.push(...(await actOnUser(userActions, options)));
    options.onProgress?.(index + 1, userNames.length);
  }
  return { keys, records };
}

function waiting(decision: KeyDecision): KeyResult {
  const until = decision.waits?.until;
  const limit = decision.decision === 'delete' ? 'MAX_DELETIONS_PER_NIGHT' : 'MAX_DEACTIVATIONS_PER_NIGHT';
  return {
    decision,
    outcome: 'waiting',
    detail:
      until === undefined
        ? `left for a later night: ${limit} is 0`
        : `left for a later night by ${limit}, the most overdue first: expected on ${isoDay(until)}`,
  };
}

async function applyRecordChange(
  change: KeyRecordChange,
  account: IamAccount,
  actionTime: () => Date,
): Promise<RecordResult> {
  try {
    if (change.remove.length > 0) await account.untagUser(change.userName, change.remove);
    const set = { ...change.set };
    for (const accessKeyId of change.startGracePeriod) {
      set[inactiveSinceTag(accessKeyId)] = actionTime().toISOString();
    }
    if (Object.keys(set).length > 0) await account.tagUser(change.userName, set);
    return { change, outcome: 'done' };
  } catch (error: unknown) {
    return { change, outcome: 'failed', detail: describeError(error) };
  }
}

/** One user's destructive decisions, key by key; a user found gone ends them all. */
async function actOnUser(decisions: KeyDecision[], options: EnforceOptions): Promise<KeyResult[]> {
  const results: KeyResult[] = [];
  for (const decision of decisions) {
    const result = await actOnKey(decision, options);
    results.push(result);
    if (result.detail === USER_GONE) {
      results.push(...decisions.slice(results.length).map((rest) => ({ ...result, decision: rest })));
      break;
    }
  }
  return results;
}

/**
 * One destructive decision. The live re-check (ListAccessKeys, and the last use for an `unused`
 * deactivation) is the request right before the change, for each key: a key changed by someone since the
 * plan, or since this user's other key was acted on, is skipped. What remains is the time between the
 * check and the change (one request), which no client can close: IAM has no conditional update or delete.
 */
async function actOnKey(decision: KeyDecision, options: EnforceOptions): Promise<KeyResult> {
  const actedAt = options.actionTime();
  const recorded =
    decision.decision === 'deactivate' && decision.deactivationRule !== 'reactivated'
      ? await recordDeactivation(decision, actedAt, options.account)
      : undefined;
  let mismatch: string | undefined;
  try {
    mismatch = await liveMismatch(
      decision,
      await options.account.listAccessKeys(decision.userName),
      options.account,
    );
  } catch (error: unknown) {
    if (error instanceof IamEntityNotFoundError) return { decision, outcome: 'skipped', detail: USER_GONE };
    return { decision, outcome: 'failed', detail: `live re-check failed: ${describeError(error)}` };
  }
  if (mismatch === KEY_GONE) return forgetGoneKey(decision, options.account);
  if (mismatch !== undefined) {
    await withdrawRecord(decision, recorded, options.account);
    return { decision, outcome: 'skipped', detail: mismatch };
  }
  return decision.decision === 'deactivate'
    ? deactivate(decision, actedAt, recorded, options.account)
    : remove(decision, actedAt, options.account);
}

const USER_GONE = 'the user no longer exists';

/**
 * Deactivates the key, then marks its record confirmed: a confirmed record of a key found active again
 * means someone re-activated it after this service deactivated it. A deactivation that fails keeps its
 * unconfirmed record, which is right if IAM made the change but lost its answer (the next run confirms it
 * on finding the key inactive), and is dropped by the next run if not.
 */
async function deactivate(
  decision: KeyDecision,
  actedAt: Date,
  recorded: DeactivationRecord | undefined,
  account: IamAccount,
): Promise<KeyResult> {
  const { userName, accessKeyId } = decision;
  try {
    await account.deactivateAccessKey(userName, accessKeyId);
  } catch (error: unknown) {
    return changeFailed(decision, error, account);
  }
  const problem = await confirmDeactivation(decision, actedAt, recorded, account);
  return { decision, outcome: 'done', actedAt, ...(problem === undefined ? {} : { detail: problem }) };
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
