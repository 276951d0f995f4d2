import { readableDate } from '../kernel/index.ts';
import { badge, html, type MailMessage, mailPage, TONE, table, textTable } from '../mail/index.ts';
import type { PasswordPolicyReport } from './report.ts';
import { PASSWORD_POLICY_FIELDS, type PasswordPolicyField, type PolicyValue } from './types.ts';

export type PolicyMailInput = Pick<
  PasswordPolicyReport,
  'outcome' | 'dryRun' | 'account' | 'checkedAt' | 'before' | 'after' | 'changes'
>;

const CLOSING =
  'key-hygiene never loosens the policy: each setting keeps the stricter of the account\u2019s value and the baseline.';

/**
 * Renders the security team's mail about a changed (or, in a dry run, drifted) password policy: a
 * before/after table of every setting, the changed ones marked, as HTML (every value escaped) and text.
 * Pure.
 */
export function renderPolicyMail(report: PolicyMailInput, to: string[]): MailMessage {
  const changed = new Set<PasswordPolicyField>(report.changes.map((change) => change.field));
  const rows = PASSWORD_POLICY_FIELDS.map(({ field, label }) => ({
    label,
    before: report.before === null ? 'no policy' : formatValue(field, report.before[field]),
    after: formatValue(field, report.after[field]),
    changed: changed.has(field),
  }));
  const subject = policyMailSubject(report);
  const intro = introduction(report);
  const footer = `Sent by key-hygiene when it changes the account password policy, or in a dry run finds it weaker than the baseline. Checked at ${readableDate(new Date(report.checkedAt))}${report.account ? ` in account ${report.account}` : ''}.`;

  const body = html`${intro.map((line) => html`<p>${line}</p>`)}
${table(
  ['Setting', 'Before', 'After', ''],
  rows.map((row) => [
    html`${row.label}`,
    html`${row.before}`,
    row.changed ? html`<strong>${row.after}</strong>` : html`${row.after}`,
    row.changed ? badge('changed', TONE.warning) : html``,
  ]),
)}
<p>${CLOSING}</p>`;

  const text = [
    subject,
    '',
    ...intro,
    '',
    textTable(
      ['Setting', 'Before', 'After', ''],
      rows.map((row) => [row.label, row.before, row.after, row.changed ? 'changed' : '']),
    ),
    '',
    CLOSING,
    '',
    footer,
    '',
  ].join('\n');

  return { to, subject, html: mailPage(subject, body, footer).value, text };
}

/** `[key-hygiene] Password policy tightened: 3 settings changed (account 123456789012)`; a dry run says so. */
export function policyMailSubject(
  report: Pick<PolicyMailInput, 'outcome' | 'dryRun' | 'changes' | 'account'>,
): string {
  const account = report.account ? ` (account ${report.account})` : '';
  // No line break may reach a header, whatever the account string holds.
  return `[key-hygiene] ${policyHeadline(report)}${account}`.replace(/[\r\n]+/g, ' ');
}

/** `Password policy tightened: 3 settings changed`, `DRY RUN: Password policy would be created`. */
export function policyHeadline(report: Pick<PolicyMailInput, 'outcome' | 'dryRun' | 'changes'>): string {
  const count = report.changes.length;
  const settings = `${count} setting${count === 1 ? '' : 's'}`;
  const what = {
    compliant: 'Password policy meets the baseline',
    created: 'Password policy created',
    updated: `Password policy tightened: ${settings} changed`,
    'would-create': 'Password policy would be created',
    'would-update': `Password policy would be tightened: ${settings}`,
  }[report.outcome];
  return `${report.dryRun ? 'DRY RUN: ' : ''}${what}`;
}

function introduction(report: PolicyMailInput): string[] {
  const count = report.changes.length;
  const settings = `${count} setting${count === 1 ? '' : 's'}`;
  switch (report.outcome) {
    case 'created':
      return ['The account had no password policy. key-hygiene created one at the baseline below.'];
    case 'updated':
      return [
        `key-hygiene tightened the account password policy: ${settings} ${count === 1 ? 'was' : 'were'} weaker than the baseline and now ${count === 1 ? 'matches' : 'match'} it. Settings already stricter than the baseline were kept.`,
      ];
    case 'would-create':
      return [
        'DRY RUN: nothing was changed.',
        'The account has no password policy. Without DRY_RUN, key-hygiene would create the policy below.',
      ];
    case 'would-update':
      return [
        'DRY RUN: nothing was changed.',
        `${settings} of the account password policy ${count === 1 ? 'is' : 'are'} weaker than the baseline. Without DRY_RUN, key-hygiene would tighten ${count === 1 ? 'it' : 'them'} as below.`,
      ];
    case 'compliant':
      return ['The account password policy already meets the baseline. Nothing was changed.'];
  }
}

/** A field's value in words: "14 characters", "required", "expire after 90 days", "never expire". */
export function formatValue(field: PasswordPolicyField, value: PolicyValue): string {
  switch (field) {
    case 'minimumPasswordLength':
      return `${String(value)} characters`;
    case 'maxPasswordAge':
      return value === null ? 'never expire' : `expire after ${String(value)} days`;
    case 'passwordReusePrevention':
      return value === null ? 'reuse allowed' : `last ${String(value)} passwords blocked`;
    case 'hardExpiry':
      return value ? 'on' : 'off';
    case 'allowUsersToChangePassword':
      return value ? 'allowed' : 'not allowed';
    default:
      return value ? 'required' : 'not required';
  }
}
