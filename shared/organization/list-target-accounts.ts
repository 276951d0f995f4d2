import type { OrganizationConfig } from './config.ts';
import type { ListAccountsRequest } from './events.ts';
import { selectAccounts } from './select-accounts.ts';
import type { AccountListing, OrganizationAccount } from './types.ts';

/**
 * Tonight's accounts: every account of the organization, less the suspended, excluded and not included
 * ones, each left out with its reason. OUs are looked into only when some are included.
 * @throws {AccountListingError} when Organizations cannot be read: no account is touched.
 */
export async function listTargetAccounts(
  listAccounts: (ous: string[]) => Promise<OrganizationAccount[]>,
  config: Pick<OrganizationConfig, 'includeOus' | 'includeAccounts' | 'excludeAccounts' | 'dryRun'>,
  request: ListAccountsRequest,
): Promise<AccountListing> {
  const { accounts, skipped } = selectAccounts(await listAccounts(config.includeOus), config);
  return { night: request.night, dryRun: config.dryRun || request.dryRun, accounts, skipped };
}
