import { type CredentialReportRow, slotHoldsKey } from '../../credential-report/index.ts';
import { guardShareText, looksWrong } from '../../nights/index.ts';
import type { Guard, KeyDecision, NightLimits } from '../types.ts';

/** The access keys in the account, by the credential report (the root account's excluded). */
export function accessKeysInReport(rows: CredentialReportRow[]): number {
  return rows.filter((row) => !row.isRoot).flatMap((row) => row.accessKeys.filter(slotHoldsKey)).length;
}

/**
 * Whether tonight looks wrong rather than busy, by nights' `looksWrong` over keys. A busy night has more
 * due than the per-night limits and works them off over the nights ahead; keys fall due at their own dates,
 * and first notices spread theirs a limit's worth per night, so the keys needing action on one night are
 * never nearly all the account's. When
 * nine in ten of the account's keys need a deactivation, a deletion or a first notice at once, and more than
 * one night's limits, the clock, a setting (KEY_MAX_AGE_DAYS, KEY_UNUSED_DAYS, KEY_INACTIVE_GRACE_DAYS) or
 * the report is more likely wrong than the account: the guard trips and the night acts on none. Pure.
 */
export function checkNight(decisions: KeyDecision[], keysInAccount: number, limits: NightLimits): Guard {
  const count = (kind: KeyDecision['decision']) =>
    decisions.filter((decision) => decision.decision === kind).length;
  const deactivations = count('deactivate');
  const deletions = count('delete');
  const firstNotices = decisions.filter(
    (decision) => decision.decision === 'warn' && decision.firstNotice === true,
  ).length;
  const keysNeedingAction = deactivations + deletions + firstNotices;
  const nightLimit = limits.deactivations + limits.deletions;
  const tripped = looksWrong({ needingAction: keysNeedingAction, inAccount: keysInAccount, nightLimit });
  if (!tripped) return { tripped, keysNeedingAction, keysInAccount };
  return {
    tripped,
    keysNeedingAction,
    keysInAccount,
    reason:
      `${keysNeedingAction} of the account's ${keysInAccount} access keys need action tonight ` +
      `(${deactivations} deactivations, ${deletions} deletions, ${firstNotices} first notices): ` +
      `every key at once (${guardShareText()} or more) and more than one night's limits ` +
      `(${limits.deactivations} deactivations + ${limits.deletions} deletions). A busy night works a backlog ` +
      'off over the nights ahead; every key at once looks like a wrong clock, a wrong KEY_MAX_AGE_DAYS, ' +
      'KEY_UNUSED_DAYS or KEY_INACTIVE_GRACE_DAYS, or a wrong report',
  };
}
