import type { ActionBacklog, Guard, NightBudget } from '../../shared/key-enforcement/types.ts';

/** A night that looks as expected. */
export const CALM_NIGHT: Guard = { tripped: false, keysNeedingAction: 1, keysInAccount: 10 };

/** A night the guard stopped, with the reason it gives. */
export const WRONG_NIGHT: Guard = {
  tripped: true,
  keysNeedingAction: 10,
  keysInAccount: 10,
  reason: '10 of the account’s 10 access keys need action tonight',
};

const backlog = (limit: number, overrides: Partial<ActionBacklog>): ActionBacklog => ({
  limit,
  due: 0,
  tonight: 0,
  waiting: 0,
  remaining: 0,
  ...overrides,
});

/** A night budget at the default limits (50 deactivations, 20 deletions), nothing due unless given. */
export function nightBudget(
  deactivate: Partial<ActionBacklog> = {},
  deletions: Partial<ActionBacklog> = {},
): NightBudget {
  return { deactivate: backlog(50, deactivate), delete: backlog(20, deletions) };
}
