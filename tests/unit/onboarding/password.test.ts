import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountPasswordPolicy } from '../../../shared/kernel/account-password-policy.ts';
import {
  CHARACTER_SETS,
  generatePassword,
  type PasswordRules,
  passwordPolicyViolations,
  passwordRulesFor,
} from '../../../shared/onboarding/password.ts';
import { weakPolicy } from '../../helpers/password-policies.ts';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, randomInt: vi.fn(original.randomInt) };
});

const STRICT: AccountPasswordPolicy = weakPolicy({
  minimumPasswordLength: 14,
  requireLowercaseCharacters: true,
  requireUppercaseCharacters: true,
  requireNumbers: true,
  requireSymbols: true,
  allowUsersToChangePassword: true,
});

const ALL_RULES: PasswordRules = { length: 16, sets: ['lowercase', 'uppercase', 'digits', 'symbols'] };

afterEach(() => {
  vi.mocked(crypto.randomInt).mockClear();
});

describe('passwordRulesFor', () => {
  it.each([
    ['AWS default (no custom policy)', undefined, 16, ['lowercase', 'uppercase', 'digits']],
    [
      'a custom policy of 6 characters',
      weakPolicy({ minimumPasswordLength: 6 }),
      16,
      ['lowercase', 'uppercase', 'digits'],
    ],
    [
      'a policy of exactly 16',
      { ...STRICT, minimumPasswordLength: 16 },
      16,
      ['lowercase', 'uppercase', 'digits', 'symbols'],
    ],
    [
      'a policy of 17',
      { ...STRICT, minimumPasswordLength: 17 },
      17,
      ['lowercase', 'uppercase', 'digits', 'symbols'],
    ],
    [
      'the longest policy (128)',
      { ...STRICT, minimumPasswordLength: 128 },
      128,
      ['lowercase', 'uppercase', 'digits', 'symbols'],
    ],
    [
      'a policy asking for symbols only',
      weakPolicy({ requireSymbols: true }),
      16,
      ['lowercase', 'uppercase', 'digits', 'symbols'],
    ],
    [
      'a policy asking for digits only',
      weakPolicy({ requireNumbers: true }),
      16,
      ['lowercase', 'uppercase', 'digits'],
    ],
  ] as const)('under %s: %i characters from %j', (_case, policy, length, sets) => {
    expect(passwordRulesFor(policy)).toEqual({ length, sets });
  });
});

describe('generatePassword', () => {
  it.each([
    ['AWS default', undefined],
    ['a strict policy', STRICT],
    ['a 64-character policy', { ...STRICT, minimumPasswordLength: 64 }],
    ['the longest policy', { ...STRICT, minimumPasswordLength: 128 }],
    ['a policy without symbols', { ...STRICT, requireSymbols: false }],
  ])('satisfies %s, every time', (_case, policy) => {
    const rules = passwordRulesFor(policy);
    for (let run = 0; run < 200; run += 1) {
      const password = generatePassword(rules);
      expect(password).toHaveLength(rules.length);
      expect(passwordPolicyViolations(password, policy)).toEqual([]);
    }
  });

  it('holds at least one character of every required set even when chance would leave one out', () => {
    // A source that always answers 0 would otherwise pick the first lowercase letter every time.
    const password = generatePassword(ALL_RULES, () => 0);

    for (const set of ALL_RULES.sets) {
      expect([...password].some((character) => CHARACTER_SETS[set].includes(character))).toBe(true);
    }
  });

  it('uses only characters of the required sets, with no look-alikes', () => {
    const allowed = new Set(Object.values(CHARACTER_SETS).join(''));
    const seen = new Set<string>();
    for (let run = 0; run < 500; run += 1)
      for (const character of generatePassword(ALL_RULES)) seen.add(character);

    expect([...seen].filter((character) => !allowed.has(character))).toEqual([]);
    for (const lookAlike of ['0', 'O', 'o', '1', 'l', 'I', '|', "'"]) expect(seen.has(lookAlike)).toBe(false);
    // Every allowed character turns up: nothing in the alphabet is unreachable.
    expect(seen.size).toBe(allowed.size);
  });

  it('leaves out symbols when they are not required', () => {
    const password = generatePassword({ length: 64, sets: ['lowercase', 'uppercase', 'digits'] });

    expect(password).toMatch(/^[a-zA-Z2-9]{64}$/);
  });

  it("draws every character and every swap from node:crypto's randomInt by default", () => {
    const password = generatePassword(ALL_RULES);

    // One draw per character, then one per Fisher-Yates swap (length - 1).
    expect(crypto.randomInt).toHaveBeenCalledTimes(ALL_RULES.length + ALL_RULES.length - 1);
    expect(password).toHaveLength(16);
  });

  it('draws each character with the exact alphabet size as the bound, so there is no modulo bias', () => {
    const bounds: number[] = [];
    generatePassword(ALL_RULES, (max) => {
      bounds.push(max);
      return 0;
    });

    const all = Object.values(CHARACTER_SETS).join('').length;
    expect(bounds.slice(0, 4)).toEqual([
      CHARACTER_SETS.lowercase.length,
      CHARACTER_SETS.uppercase.length,
      CHARACTER_SETS.digits.length,
      CHARACTER_SETS.symbols.length,
    ]);
    expect(bounds.slice(4, 16)).toEqual(Array(12).fill(all));
    // The shuffle: i + 1 for i from 15 down to 1.
    expect(bounds.slice(16)).toEqual(Array.from({ length: 15 }, (_, index) => 16 - index));
  });

  it('shuffles, so the required characters are not always in front', () => {
    const firstCharacters = new Set<string>();
    for (let run = 0; run < 200; run += 1) firstCharacters.add(generatePassword(ALL_RULES).charAt(0));

    const symbolsFirst = [...firstCharacters].filter((character) =>
      CHARACTER_SETS.symbols.includes(character),
    );
    const digitsFirst = [...firstCharacters].filter((character) => CHARACTER_SETS.digits.includes(character));
    expect(symbolsFirst.length).toBeGreaterThan(0);
    expect(digitsFirst.length).toBeGreaterThan(0);
  });

  it('never repeats itself over many passwords', () => {
    const passwords = new Set(Array.from({ length: 2000 }, () => generatePassword(ALL_RULES)));

    expect(passwords.size).toBe(2000);
  });

  it.each([
    ['no sets', { length: 16, sets: [] }],
    ['fewer characters than sets', { length: 3, sets: ['lowercase', 'uppercase', 'digits', 'symbols'] }],
  ] as const)('refuses rules with %s', (_case, rules) => {
    expect(() => generatePassword({ length: rules.length, sets: [...rules.sets] })).toThrow(RangeError);
  });
});

describe('passwordPolicyViolations', () => {
  it.each([
    ['a short password', 'Ab3!', STRICT, ['shorter than 14']],
    ['a password without lowercase', 'ABCDEFGH2345!@#', STRICT, ['no lowercase letter']],
    ['a password without uppercase', 'abcdefgh2345!@#', STRICT, ['no uppercase letter']],
    ['a password without digits', 'abcdefghABCD!@#', STRICT, ['no digit']],
    ['a password without symbols', 'abcdefghABCD234', STRICT, ['no symbol']],
    ['a password of 129 characters', `Ab3!${'x'.repeat(125)}`, STRICT, ['longer than 128']],
    [
      'a password of two kinds under the AWS default',
      'abcdefgh1234',
      undefined,
      ['fewer than three of lowercase, uppercase, digits and symbols'],
    ],
    ['a password of three kinds under the AWS default', 'abcdefgh123A', undefined, []],
    ['a password that meets everything', 'abcdEFGH2345!@#$', STRICT, []],
  ])('finds in %s: %j', (_case, password, policy, violations) => {
    expect(passwordPolicyViolations(password, policy)).toEqual(violations);
  });
});
