import {
  type Account,
  type OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { describeError } from '../kernel/index.ts';
import { AccountListingError } from './errors.ts';
import type { OrganizationAccount } from './types.ts';

/** The Organizations actions this adapter calls; the lister's role grants exactly these. */
export const ACCOUNT_LISTING_ORGANIZATIONS_ACTIONS = [
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
] as const;

/**
 * Every account of the organization with its status; with `ous` given, each account found under one of
 * them (nested OUs included) carries that OU in its `ous`.
 * @throws {AccountListingError} when Organizations refuses or fails a call.
 */
export async function listOrganizationAccounts(
  organizations: OrganizationsClient,
  ous: string[],
): Promise<OrganizationAccount[]> {
  try {
    const accounts = new Map<string, OrganizationAccount>();
    for await (const page of paginateListAccounts({ client: organizations }, {})) {
      for (const account of page.Accounts ?? []) {
        const listed = toAccount(account);
        if (listed !== undefined) accounts.set(listed.accountId, listed);
      }
    }
    for (const ou of ous) {
      for (const accountId of await accountsUnder(organizations, ou)) {
        const account = accounts.get(accountId);
        if (account !== undefined) account.ous = [...(account.ous ?? []), ou];
      }
    }
    return [...accounts.values()];
  } catch (error: unknown) {
    throw new AccountListingError(`Could not list the organization's accounts: ${describeError(error)}`, {
      cause: error,
    });
  }
}

function toAccount(account: Account): OrganizationAccount | undefined {
  if (account.Id === undefined) return undefined;
  return { accountId: account.Id, name: account.Name ?? account.Id, status: account.Status ?? 'UNKNOWN' };
}

/** The ids of the accounts under an OU and every OU nested in it. */
async function accountsUnder(organizations: OrganizationsClient, ou: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [ou];
  for (let parent = pending.pop(); parent !== undefined; parent = pending.pop()) {
    const client = { client: organizations };
    for await (const page of paginateListAccountsForParent(client, { ParentId: parent })) {
      found.push(...idsOf(page.Accounts));
    }
    for await (const page of paginateListOrganizationalUnitsForParent(client, { ParentId: parent })) {
      pending.push(...idsOf(page.OrganizationalUnits));
    }
  }
  return found;
}

const idsOf = (entries: { Id?: string }[] | undefined): string[] =>
  (entries ?? []).flatMap((entry) => (entry.Id ? [entry.Id] : []));
