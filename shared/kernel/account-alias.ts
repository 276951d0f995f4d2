import { type IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import type { AccountName } from './account-name.ts';
import { describeError } from './aws-errors.ts';
import { IamAccountError } from './errors.ts';
import { type InvokedFunction, invokedIn } from './invocation-event.ts';

/** The IAM actions this adapter calls; the roles of its functions grant exactly these. */
export const ACCOUNT_ALIAS_IAM_ACTIONS = ['iam:ListAccountAliases'] as const;

/**
 * The account's alias (an account has at most one), or `undefined` when it has none.
 * @throws {IamAccountError} when IAM refuses or fails the call.
 */
export async function readAccountAlias(iam: IAMClient): Promise<string | undefined> {
  try {
    const answer = await iam.send(new ListAccountAliasesCommand({}));
    return answer.AccountAliases?.[0];
  } catch (error: unknown) {
    throw new IamAccountError(`Could not read the account alias: ${describeError(error)}`, { cause: error });
  }
}

/**
 * Names an account for its mail: its id and, where it has one, its alias. The alias is a courtesy: when it
 * cannot be read the account is named by its id alone, with a warning in the log, and the run goes on.
 */
export async function nameAccount(
  iam: IAMClient,
  accountId: string,
  log: { warn: (message: string, extra: Record<string, unknown>) => void },
): Promise<AccountName> {
  try {
    const alias = await readAccountAlias(iam);
    return alias === undefined ? { accountId } : { accountId, alias };
  } catch (error: unknown) {
    log.warn('The account alias could not be read: mail names the account by its id', {
      accountId,
      error: describeError(error),
    });
    return { accountId };
  }
}

/**
 * The account a function runs in (read from its own ARN) and acts on, named for its mail: `{ account }`, to
 * spread into a run's wiring, or `{}` under `serverless invoke local`, which passes no ARN.
 */
export async function invocationAccount(
  iam: IAMClient,
  context: InvokedFunction,
  log: { warn: (message: string, extra: Record<string, unknown>) => void },
): Promise<{ account?: AccountName }> {
  const { accountId } = invokedIn(context);
  return accountId === undefined ? {} : { account: await nameAccount(iam, accountId, log) };
}
