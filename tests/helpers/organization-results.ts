import { type AccountRunResult, emptyCounts } from '../../shared/organization/index.ts';

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
    counts: { ...emptyCounts(), ...counts },
    guardTripped: false,
    passwordPolicyChanged: false,
    rootKeyFindings: 0,
    ...rest,
  };
}
