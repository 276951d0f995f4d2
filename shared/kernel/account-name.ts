/** The AWS account a run is about: every owner mail and digest names it. */
export interface AccountName {
  accountId: string;
  /** The account alias (IAM ListAccountAliases), where the account has one. */
  alias?: string;
}

/** `123456789012 (payments-prod)`, or the id alone when the account has no alias. */
export function accountLabel(account: AccountName): string {
  return account.alias === undefined ? account.accountId : `${account.accountId} (${account.alias})`;
}
