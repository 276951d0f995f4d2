import type { OrganizationAccount, SkippedAccount, TargetAccount } from './types.ts';

export interface AccountSelection {
  includeOus: string[];
  includeAccounts: string[];
  excludeAccounts: string[];
}

/**
 * Which accounts tonight runs on. An account is skipped when it is not ACTIVE (`suspended`), when it is
 * excluded (exclusion wins over inclusion), or when includes are set and it is neither listed nor under
 * an included OU (`not-included`). With no include at all, every active account is in. Pure.
 */
export function selectAccounts(
  accounts: OrganizationAccount[],
  selection: AccountSelection,
): { accounts: TargetAccount[]; skipped: SkippedAccount[] } {
  const included = (account: OrganizationAccount) =>
    (selection.includeOus.length === 0 && selection.includeAccounts.length === 0) ||
    selection.includeAccounts.includes(account.accountId) ||
    (account.ous ?? []).some((ou) => selection.includeOus.includes(ou));
  const selected: TargetAccount[] = [];
  const skipped: SkippedAccount[] = [];
  for (const account of [...accounts].sort((a, b) => a.accountId.localeCompare(b.accountId))) {
    const { accountId, name } = account;
    if (account.status !== 'ACTIVE') skipped.push({ accountId, name, reason: 'suspended' });
    else if (selection.excludeAccounts.includes(accountId))
      skipped.push({ accountId, name, reason: 'excluded' });
    else if (!included(account)) skipped.push({ accountId, name, reason: 'not-included' });
    else selected.push({ accountId, name });
  }
  return { accounts: selected, skipped };
}
