import { describeError } from '../../kernel/index.ts';
import type { IamAccount } from '../iam-account.ts';
import { deactivatedTag, deactivatedValue } from '../key-records.ts';
import type { KeyDecision } from '../types.ts';

// The deactivation record's life around one deactivation: written unconfirmed before the live re-check,
// withdrawn when the re-check skips the key, marked confirmed once IAM has deactivated it.

/** What became of the deactivation record written before the live re-check. */
export interface DeactivationRecord {
  written: boolean;
  problem?: string;
}

/**
 * Writes the deactivation record, unconfirmed, before the key is deactivated. In this order a run that dies
 * in between (a Lambda timeout) leaves an active key with an unconfirmed record, which the next run drops
 * as stale and writes again as it deactivates the key; the other order would leave an inactive key with no
 * record, which the next run takes for a key someone else deactivated: a later grace period, and an owner
 * never told. A record that cannot be written does not hold the deactivation back (the grace period then
 * starts when the key is next seen inactive: later, never earlier). A key found re-activated keeps the
 * record of its first deactivation: nothing is written.
 */
export async function recordDeactivation(
  decision: KeyDecision,
  actedAt: Date,
  account: IamAccount,
): Promise<DeactivationRecord> {
  try {
    await account.tagUser(decision.userName, {
      [deactivatedTag(decision.accessKeyId)]: deactivatedValue(actedAt, false),
    });
    return { written: true };
  } catch (error: unknown) {
    return { written: false, problem: `the deactivation record failed: ${describeError(error)}` };
  }
}

/**
 * A key the re-check skipped is not deactivated: the record written for it is removed again (left, it
 * would credit this service with a deactivation someone else made). A failure to remove it is left to the
 * next run, which drops an unconfirmed record of an active key as stale.
 */
export async function withdrawRecord(
  decision: KeyDecision,
  recorded: DeactivationRecord | undefined,
  account: IamAccount,
): Promise<void> {
  if (recorded?.written !== true) return;
  try {
    await account.untagUser(decision.userName, [deactivatedTag(decision.accessKeyId)]);
  } catch {
    // Left for the next run.
  }
}

/**
 * Marks the record confirmed once IAM has deactivated the key: a confirmed record of a key found active
 * again means someone re-activated it after this service deactivated it. Returns what went wrong with the
 * record, if anything (the deactivation stands: the next run confirms the record on finding the key
 * inactive).
 */
export async function confirmDeactivation(
  decision: KeyDecision,
  actedAt: Date,
  recorded: DeactivationRecord | undefined,
  account: IamAccount,
): Promise<string | undefined> {
  if (recorded?.written !== true) return recorded?.problem;
  try {
    await account.tagUser(decision.userName, {
      [deactivatedTag(decision.accessKeyId)]: deactivatedValue(actedAt, true),
    });
    return undefined;
  } catch (error: unknown) {
    return `the deactivation record could not be marked confirmed: ${describeError(error)}`;
  }
}
