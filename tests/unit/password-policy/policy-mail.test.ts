import { describe, expect, it } from 'vitest';
import type { AccountPasswordPolicy } from '../../../shared/kernel/account-password-policy.ts';
import {
  formatValue,
  type PolicyMailInput,
  renderPolicyMail,
} from '../../../shared/password-policy/policy-mail.ts';
import { policyDrift, stricterPolicy } from '../../../shared/password-policy/stricter-policy.ts';
import { baselinePolicy, weakPolicy } from '../../helpers/password-policies.ts';

const TEAM = ['security@example.com'];

function mailInput(
  before: AccountPasswordPolicy | null,
  overrides: Partial<PolicyMailInput> = {},
): PolicyMailInput {
  const after = stricterPolicy(before ?? undefined, baselinePolicy());
  const changes = policyDrift(before ?? undefined, after);
  return {
    outcome: before === null ? 'created' : 'updated',
    dryRun: false,
    account: '123456789012',
    checkedAt: '2026-11-23T03:30:00.000Z',
    before,
    after,
    changes,
    ...overrides,
  };
}

/** The HTML without its inline styles, so assertions read as structure. */
const bare = (markup: string) => markup.replace(/ style="[^"]*"/g, '');

/** A text-table row with its padding collapsed. */
function textRow(text: string, label: string): string | undefined {
  return text
    .split('\n')
    .find((line) => line.startsWith(label))
    ?.trim()
    .replace(/\s{2,}/g, ' | ');
}

describe('renderPolicyMail', () => {
  it.each([
    ['created', false, 9, '[key-hygiene] Password policy created (account 123456789012)'],
    [
      'updated',
      false,
      3,
      '[key-hygiene] Password policy tightened: 3 settings changed (account 123456789012)',
    ],
    [
      'updated',
      false,
      1,
      '[key-hygiene] Password policy tightened: 1 setting changed (account 123456789012)',
    ],
    [
      'would-create',
      true,
      9,
      '[key-hygiene] DRY RUN: Password policy would be created (account 123456789012)',
    ],
    [
      'would-update',
      true,
      2,
      '[key-hygiene] DRY RUN: Password policy would be tightened: 2 settings (account 123456789012)',
    ],
  ] as const)('titles a %s run (dry run %s, %i changes): %s', (outcome, dryRun, count, subject) => {
    const input = mailInput(weakPolicy(), { outcome, dryRun });
    const mail = renderPolicyMail({ ...input, changes: input.changes.slice(0, count) }, TEAM);

    expect(mail.subject).toBe(subject);
    expect(mail.to).toEqual(TEAM);
    expect(mail.text.split('\n')[0]).toBe(subject);
    expect(mail.html).toContain(`<title>${subject}</title>`);
  });

  it('leaves the account out of the subject when it is not known', () => {
    const { account: _, ...input } = mailInput(weakPolicy());

    expect(renderPolicyMail(input, TEAM).subject).toBe(
      '[key-hygiene] Password policy tightened: 8 settings changed',
    );
  });

  it('tabulates every setting before and after in the text part, marking the changed ones', () => {
    const found = weakPolicy({ minimumPasswordLength: 20, maxPasswordAge: 120, hardExpiry: true });
    const { text } = renderPolicyMail(mailInput(found), TEAM);

    expect(textRow(text, 'Setting')).toBe('Setting | Before | After');
    expect(textRow(text, 'Minimum password length')).toBe(
      'Minimum password length | 20 characters | 20 characters',
    );
    expect(textRow(text, 'Symbol')).toBe('Symbol | not required | required | changed');
    expect(textRow(text, 'Password expiry')).toBe(
      'Password expiry | expire after 120 days | expire after 90 days | changed',
    );
    expect(textRow(text, 'Password reuse prevention')).toBe(
      'Password reuse prevention | reuse allowed | last 24 passwords blocked | changed',
    );
    expect(textRow(text, 'Expired passwords need an administrator reset')).toBe(
      'Expired passwords need an administrator reset | on | on',
    );
    expect(textRow(text, 'Users may change their own password')).toBe(
      'Users may change their own password | not allowed | allowed | changed',
    );
    expect(text).toContain('7 settings were weaker than the baseline and now match it.');
    expect(text).toContain('Checked at 2026-11-23 03:30 UTC in account 123456789012.');
  });

  it('aligns the text columns under their headings', () => {
    const lines = renderPolicyMail(mailInput(weakPolicy()), TEAM).text.split('\n');
    const headerIndex = lines.findIndex((line) => line.startsWith('Setting'));
    const header = lines[headerIndex] ?? '';
    const rows = lines.slice(headerIndex + 2, headerIndex + 11);

    expect(rows).toHaveLength(9);
    for (const heading of ['Before', 'After']) {
      const column = header.indexOf(heading);
      for (const row of rows) {
        expect(row.slice(column - 2, column)).toBe('  ');
        expect(row[column]).toMatch(/\S/);
      }
    }
  });

  it('shows "no policy" before a policy is created', () => {
    const { text, html } = renderPolicyMail(mailInput(null), TEAM);

    expect(text).toContain('The account had no password policy.');
    expect(text.match(/ no policy /g)).toHaveLength(9);
    expect(bare(html)).toContain(
      '<tr><td>Minimum password length</td><td>no policy</td><td><strong>14 characters</strong></td><td><span>changed</span></td></tr>',
    );
  });

  it('puts every setting in an HTML table, the changed ones marked', () => {
    const { html } = renderPolicyMail(mailInput(baselinePolicy({ minimumPasswordLength: 8 })), TEAM);
    const markup = bare(html);

    expect(markup).toContain('<tr><th>Setting</th><th>Before</th><th>After</th><th></th></tr>');
    expect(markup.match(/<tr>/g)).toHaveLength(1 + 9);
    expect(markup).toContain(
      '<tr><td>Minimum password length</td><td>8 characters</td><td><strong>14 characters</strong></td><td><span>changed</span></td></tr>',
    );
    expect(markup).toContain('<tr><td>Symbol</td><td>required</td><td>required</td><td></td></tr>');
    expect(markup.match(/>changed</g)).toHaveLength(1);
    expect(markup).toContain('1 setting was weaker than the baseline and now matches it.');
  });

  it('says plainly in a dry run that nothing was changed', () => {
    const { text, html } = renderPolicyMail(
      mailInput(weakPolicy(), { outcome: 'would-update', dryRun: true }),
      TEAM,
    );

    for (const part of [text, html]) {
      expect(part).toContain('DRY RUN: nothing was changed.');
      expect(part).toContain('Without DRY_RUN, key-hygiene would tighten them as below.');
    }
  });

  it('escapes everything it puts into HTML and keeps line breaks out of the subject', () => {
    const account = '<script>alert("x")</script>&\r\nBcc: attacker@example.com';
    const mail = renderPolicyMail(mailInput(weakPolicy(), { account }), TEAM);

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toContain('</script>& Bcc: attacker@example.com)');
  });
});

describe('formatValue', () => {
  it.each([
    ['minimumPasswordLength', 14, '14 characters'],
    ['requireSymbols', true, 'required'],
    ['requireNumbers', false, 'not required'],
    ['requireUppercaseCharacters', true, 'required'],
    ['requireLowercaseCharacters', false, 'not required'],
    ['maxPasswordAge', 90, 'expire after 90 days'],
    ['maxPasswordAge', null, 'never expire'],
    ['passwordReusePrevention', 24, 'last 24 passwords blocked'],
    ['passwordReusePrevention', null, 'reuse allowed'],
    ['hardExpiry', true, 'on'],
    ['hardExpiry', false, 'off'],
    ['allowUsersToChangePassword', true, 'allowed'],
    ['allowUsersToChangePassword', false, 'not allowed'],
  ] as const)('writes %s = %j as %j', (field, value, words) => {
    expect(formatValue(field, value)).toBe(words);
  });
});
