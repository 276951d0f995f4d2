/** The share of the account's credentials that, needing action all on one night, makes the night look wrong. */
export const GUARD_SHARE = 0.9;

/**
 * Whether tonight looks wrong rather than busy, by the one rule every guard of the service applies. A busy
 * night has more due than the night's limit and works it off over the nights ahead; credentials fall due at
 * their own dates, and first notices spread theirs a limit's worth per night, so those needing action on
 * one night are never nearly all the account's. When nine in ten or more of them need action at once, and
 * more than one night's limit, the clock, a setting or the report is more likely wrong than the account.
 * Pure.
 */
export function looksWrong(night: { needingAction: number; inAccount: number; nightLimit: number }): boolean {
  return night.needingAction > night.nightLimit && night.needingAction >= GUARD_SHARE * night.inAccount;
}

/** `90%`: the share as the guard's reasons write it. */
export function guardShareText(): string {
  return `${Math.round(GUARD_SHARE * 100)}%`;
}
