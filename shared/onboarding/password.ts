import { randomInt } from 'node:crypto';
import type { AccountPasswordPolicy } from '../kernel/index.ts';

// With no custom policy, AWS asks for at least 8 characters of three of the four kinds (every generated
// password has lowercase, uppercase and digits) and gives no account-wide right to change one's password.
const AWS_DEFAULT_MINIMUM_LENGTH = 8;

/** Generated passwords are never shorter than this, whatever the policy allows. */
export const MIN_GENERATED_LENGTH = 16;
/** IAM's longest password. */
export const MAX_PASSWORD_LENGTH = 128;

// No look-alikes (0 O o, 1 l I), so a password read off a screen is typed right the first time.
export const CHARACTER_SETS = {
  lowercase: 'abcdefghijkmnpqrstuvwxyz',
  uppercase: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digits: '23456789',
  // From IAM's symbol list (! @ # $ % ^ & * ( ) _ + - = [ ] { } | '), without | and ' which are easily
  // mistaken or mangled by a shell.
  symbols: '!@#$%^&*()_+-=[]{}',
} as const;

export type CharacterSet = keyof typeof CHARACTER_SETS;

/** A source of uniform random integers in [0, max): node:crypto's randomInt, or a fake in tests. */
export type RandomInt = (max: number) => number;

export interface PasswordRules {
  length: number;
  /** Every generated password holds at least one character of each of these sets. */
  sets: CharacterSet[];
}

/**
 * The rules a generated password follows under the account's policy (`undefined`: AWS's default): at least
 * 16 characters and at least the policy's minimum; lowercase, uppercase and digits always; symbols when
 * the policy requires them.
 */
export function passwordRulesFor(policy: AccountPasswordPolicy | undefined): PasswordRules {
  const sets: CharacterSet[] = ['lowercase', 'uppercase', 'digits'];
  if (policy?.requireSymbols) sets.push('symbols');
  return {
    length: Math.min(MAX_PASSWORD_LENGTH, Math.max(MIN_GENERATED_LENGTH, minimumLength(policy))),
    sets,
  };
}

/**
 * A random password following the rules: one character from each required set, the rest from all of them,
 * shuffled (Fisher-Yates). Every choice is one call of `random`, which must be uniform: node:crypto's
 * randomInt is, with no modulo bias.
 */
export function generatePassword(rules: PasswordRules, random: RandomInt = randomInt): string {
  if (rules.sets.length === 0 || rules.length < rules.sets.length) {
    throw new RangeError(`cannot make a ${rules.length}-character password from ${rules.sets.length} sets`);
  }
  const pick = (alphabet: string) => alphabet[random(alphabet.length)] as string;
  const all = rules.sets.map((set) => CHARACTER_SETS[set]).join('');
  const characters = rules.sets.map((set) => pick(CHARACTER_SETS[set]));
  while (characters.length < rules.length) characters.push(pick(all));
  for (let index = characters.length - 1; index > 0; index -= 1) {
    const other = random(index + 1);
    [characters[index], characters[other]] = [characters[other] as string, characters[index] as string];
  }
  return characters.join('');
}

function minimumLength(policy: AccountPasswordPolicy | undefined): number {
  return policy?.minimumPasswordLength ?? AWS_DEFAULT_MINIMUM_LENGTH;
}

/**
 * The ways a password falls short of the account's policy (`undefined`: AWS's default); empty when it
 * satisfies it. For checks and tests.
 */
export function passwordPolicyViolations(
  password: string,
  policy: AccountPasswordPolicy | undefined,
): string[] {
  const violations: string[] = [];
  const minimum = minimumLength(policy);
  if (password.length < minimum) violations.push(`shorter than ${minimum}`);
  if (password.length > MAX_PASSWORD_LENGTH) violations.push(`longer than ${MAX_PASSWORD_LENGTH}`);
  const has = {
    lowercase: /[a-z]/.test(password),
    uppercase: /[A-Z]/.test(password),
    digits: /[0-9]/.test(password),
    symbols: /[!@#$%^&*()_+\-=[\]{}|']/.test(password),
  };
  if (policy?.requireLowercaseCharacters && !has.lowercase) violations.push('no lowercase letter');
  if (policy?.requireUppercaseCharacters && !has.uppercase) violations.push('no uppercase letter');
  if (policy?.requireNumbers && !has.digits) violations.push('no digit');
  if (policy?.requireSymbols && !has.symbols) violations.push('no symbol');
  if (policy === undefined && Object.values(has).filter(Boolean).length < 3) {
    violations.push('fewer than three of lowercase, uppercase, digits and symbols');
  }
  return violations;
}
