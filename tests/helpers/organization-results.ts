import type { AccountRunResult } from '../../shared/organization/index.ts';

/** A finished account's result, with zero counts unless given. */
export function accountResult(
  overrides: Partial<Omit<AccountRunResult, 'counts'>> & {
    counts?: Partial<AccountRunResult['counts']>;
  } = {},
): AccountRunResult {
  const { counts, ...rest } = overrides;
  return {
    accountId: '111111111111',
    name: 'payments',
    status: 'done',
    dryRun: false,
    counts: {
      deactivated: 0,
      deleted: 0,
      warned: 0,
      exempt: 0,
      held: 0,
      failed: 0,
      backlog: 0,
      planned: 0,
      ownersMailed: 0,
      ownerMailFailed: 0,
      ...counts,
    },
    guardTripped: false,
    passwordPolicyChanged: false,
    rootKeyFindings: 0,
    ...rest,
  };
}
