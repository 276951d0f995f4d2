import type { AccountRunResult, OrganizationGuard } from './types.ts';

/**
 * The organization-wide guard over a forecast of every account: when more deactivations and deletions are
 * planned across the organization than `limit`, it trips and no account acts. Pure.
 */
export function checkOrganizationGuard(forecasts: AccountRunResult[], limit: number): OrganizationGuard {
  const planned = forecasts.reduce((sum, result) => sum + result.counts.planned, 0);
  return { limit, planned, tripped: planned > limit };
}
