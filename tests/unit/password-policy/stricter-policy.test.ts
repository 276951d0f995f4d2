import { describe, expect, it } from 'vitest';
import type { AccountPasswordPolicy } from '../../../shared/kernel/account-password-policy.ts';
import { policyDrift, stricterPolicy } from '../../../shared/password-policy/stricter-policy.ts';
import {
  PASSWORD_POLICY_FIELDS,
  type PasswordPolicy,
  type PasswordPolicyField,
} from '../../../shared/password-policy/types.ts';
import { baselinePolicy, weakPolicy } from '../../helpers/password-policies.ts';

// A policy in the middle of every range, so each case can move one field either way.
const MIDDLE: PasswordPolicy = {
  minimumPasswordLength: 14,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercaseCharacters: false,
  requireLowercaseCharacters: false,
  allowUsersToChangePassword: false,
  maxPasswordAge: 90,
  passwordReusePrevention: 12,
  hardExpiry: false,
};

type Case = [
  field: PasswordPolicyField,
  current: number | boolean | null,
  baseline: number | boolean,
  expected: number | boolean,
];

const FLAGS: PasswordPolicyField[] = [
  'requireSymbols',
  'requireNumbers',
  'requireUppercaseCharacters',
  'requireLowercaseCharacters',
  'allowUsersToChangePassword',
  'hardExpiry',
];

const CASES: Case[] = [
  ['minimumPasswordLength', 8, 14, 14],
  ['minimumPasswordLength', 20, 14, 20],
  ['minimumPasswordLength', 14, 14, 14],
  ['minimumPasswordLength', 128, 6, 128],
  ['maxPasswordAge', 180, 90, 90],
  ['maxPasswordAge', 30, 90, 30],
  ['maxPasswordAge', 90, 90, 90],
  // Absent: passwords never expire, the weakest value there is.
  ['maxPasswordAge', null, 90, 90],
  ['maxPasswordAge', null, 1095, 1095],
  ['passwordReusePrevention', 5, 24, 24],
  ['passwordReusePrevention', 24, 10, 24],
  ['passwordReusePrevention', 10, 10, 10],
  // Absent: any previous password may be reused.
  ['passwordReusePrevention', null, 24, 24],
  ['passwordReusePrevention', null, 1, 1],
  ...FLAGS.flatMap((field): Case[] => [
    [field, false, true, true],
    [field, true, false, true],
    [field, true, true, true],
    [field, false, false, false],
  ]),
];

describe('stricterPolicy', () => {
  it.each(CASES)(
    'keeps the stricter %s: current %j, baseline %j -> %j',
    (field, current, baseline, expected) => {
      const found = { ...MIDDLE, [field]: current } as AccountPasswordPolicy;
      const wanted = { ...MIDDLE, [field]: baseline } as PasswordPolicy;

      expect(stricterPolicy(found, wanted)).toEqual({ ...MIDDLE, [field]: expected });
    },
  );

  it('covers every field of the policy in the table, in both directions', () => {
    const fields = new Set(CASES.map(([field]) => field));
    expect([...fields].sort()).toEqual(PASSWORD_POLICY_FIELDS.map(({ field }) => field).sort());
  });

  it('takes the baseline when the account has no policy', () => {
    const baseline = baselinePolicy({ hardExpiry: true, minimumPasswordLength: 20 });

    expect(stricterPolicy(undefined, baseline)).toEqual(baseline);
  });

  it('raises a weak policy to the CIS baseline', () => {
    expect(stricterPolicy(weakPolicy(), baselinePolicy())).toEqual(baselinePolicy());
  });

  it('keeps every field of a policy stricter than the baseline', () => {
    const strict: PasswordPolicy = baselinePolicy({
      minimumPasswordLength: 32,
      maxPasswordAge: 30,
      hardExpiry: true,
    });

    expect(stricterPolicy(strict, baselinePolicy())).toEqual(strict);
  });

  it('mixes, field by field, a policy stricter in some fields and weaker in others', () => {
    const mixed = weakPolicy({ minimumPasswordLength: 40, maxPasswordAge: 45, hardExpiry: true });

    expect(stricterPolicy(mixed, baselinePolicy())).toEqual(
      baselinePolicy({ minimumPasswordLength: 40, maxPasswordAge: 45, hardExpiry: true }),
    );
  });

  it('does not change the policies it is given', () => {
    const found = weakPolicy();
    const baseline = baselinePolicy();
    stricterPolicy(found, baseline);

    expect(found).toEqual(weakPolicy());
    expect(baseline).toEqual(baselinePolicy());
  });
});

describe('policyDrift', () => {
  it('lists every field, from null, when the account has no policy', () => {
    const drift = policyDrift(undefined, baselinePolicy());

    expect(drift).toEqual([
      { field: 'minimumPasswordLength', iamName: 'MinimumPasswordLength', before: null, after: 14 },
      {
        field: 'requireUppercaseCharacters',
        iamName: 'RequireUppercaseCharacters',
        before: null,
        after: true,
      },
      {
        field: 'requireLowercaseCharacters',
        iamName: 'RequireLowercaseCharacters',
        before: null,
        after: true,
      },
      { field: 'requireNumbers', iamName: 'RequireNumbers', before: null, after: true },
      { field: 'requireSymbols', iamName: 'RequireSymbols', before: null, after: true },
      { field: 'maxPasswordAge', iamName: 'MaxPasswordAge', before: null, after: 90 },
      { field: 'passwordReusePrevention', iamName: 'PasswordReusePrevention', before: null, after: 24 },
      { field: 'hardExpiry', iamName: 'HardExpiry', before: null, after: false },
      {
        field: 'allowUsersToChangePassword',
        iamName: 'AllowUsersToChangePassword',
        before: null,
        after: true,
      },
    ]);
  });

  it('is empty when the policy found is the policy to hold', () => {
    expect(
      policyDrift(baselinePolicy({ maxPasswordAge: 30 }), baselinePolicy({ maxPasswordAge: 30 })),
    ).toEqual([]);
  });

  it('lists only the fields that differ, before -> after', () => {
    const found = baselinePolicy({ minimumPasswordLength: 8, requireSymbols: false });
    const drift = policyDrift({ ...found, maxPasswordAge: null }, baselinePolicy());

    expect(drift).toEqual([
      { field: 'minimumPasswordLength', iamName: 'MinimumPasswordLength', before: 8, after: 14 },
      { field: 'requireSymbols', iamName: 'RequireSymbols', before: false, after: true },
      { field: 'maxPasswordAge', iamName: 'MaxPasswordAge', before: null, after: 90 },
    ]);
  });

  it('finds no drift after the stricter policy is taken, whatever the starting point', () => {
    for (const found of [
      weakPolicy(),
      baselinePolicy({ minimumPasswordLength: 99 }),
      weakPolicy({ hardExpiry: true }),
    ]) {
      const held = stricterPolicy(found, baselinePolicy());
      expect(policyDrift(held, stricterPolicy(held, baselinePolicy()))).toEqual([]);
    }
  });
});
