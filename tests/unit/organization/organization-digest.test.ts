import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { KEY_INVENTORY_COLUMNS } from '../../../shared/key-enforcement/index.ts';
import { organizationTotals, renderOrganizationDigest } from '../../../shared/organization/index.ts';
import { accountResult } from '../../helpers/organization-results.ts';

const payments = accountResult({
  accountId: '111111111111',
  name: 'payments',
  alias: 'payments-prod',
  counts: { deactivated: 2, deleted: 1, warned: 3, planned: 3 },
  passwordPolicyChanged: true,
  passwordPolicyOutcome: 'updated',
  rootKeyFindings: 1,
});
const analytics = accountResult({
  accountId: '222222222222',
  name: 'analytics',
  counts: { deactivated: 1, held: 1, backlog: 4, planned: 5 },
  guardTripped: true,
  passwordPolicyOutcome: 'compliant',
});
const analyticsNamed = { ...analytics, name: '=HYPERLINK("x")' };
const sandbox = accountResult({
  accountId: '333333333333',
  name: 'sandbox',
  status: 'failed',
  failure: {
    kind: 'role-missing',
    message: 'MemberRoleUnavailableError: Could not assume arn:aws:iam::333333333333:role/key-hygiene-member',
  },
});
const skipped = [
  { accountId: '444444444444', name: 'old', reason: 'suspended' as const },
  { accountId: '555555555555', name: 'lab', reason: 'excluded' as const },
];
const record = (user: string) =>
  KEY_INVENTORY_COLUMNS.map((column) => (column === 'user' ? user : `${column}-${user}`));
const inventories = new Map([
  ['111111111111', [record('alice'), record('=cmd')]],
  ['222222222222', [record('bob')]],
]);
const input = {
  night: '2026-11-30',
  dryRun: false,
  results: [payments, analytics, sandbox],
  skipped,
  inventories,
  to: ['security@example.com'],
};

describe('organizationTotals', () => {
  it('sums every account and counts how they ended', () => {
    expect(organizationTotals(input.results, skipped)).toMatchObject({
      accounts: 3,
      done: 2,
      failedAccounts: 1,
      skipped: 2,
      deactivated: 3,
      deleted: 1,
      warned: 3,
      held: 1,
      backlog: 4,
      planned: 8,
      guardTripped: 1,
      passwordPoliciesChanged: 1,
      rootKeyFindings: 1,
    });
  });
});

describe('renderOrganizationDigest', () => {
  it.each([
    [
      {},
      '[key-hygiene] Organization report 2026-11-30: 3 accounts, 3 deactivated, 1 deleted, 3 warned, 1 account failed',
    ],
    [
      { dryRun: true },
      '[key-hygiene] DRY RUN: Organization report 2026-11-30: 3 accounts, 8 deactivations and deletions planned, 3 warned, 1 account failed',
    ],
    [
      { guard: { limit: 5, planned: 8, tripped: true } },
      '[key-hygiene] Organization report 2026-11-30: ORGANIZATION GUARD TRIPPED, 3 accounts, 8 deactivations and deletions planned, 3 warned, 1 account failed',
    ],
    [
      { results: [payments] },
      '[key-hygiene] Organization report 2026-11-30: 1 account, 2 deactivated, 1 deleted, 3 warned',
    ],
  ])('subject for %j', (overrides, subject) => {
    expect(renderOrganizationDigest({ ...input, ...overrides }).subject).toBe(subject);
  });

  it('has a row per account, naming it by id and alias (or name), with every figure, in both parts', () => {
    const mail = renderOrganizationDigest(input);

    expect(mail.text).toMatch(
      /111111111111 \[payments-prod\]\s+done\s+2\s+1\s+3\s+0\s+0\s+0\s+-\s+0\s+updated\s+1/,
    );
    expect(mail.text).toMatch(
      /222222222222 \[analytics\]\s+done\s+1\s+0\s+0\s+0\s+1\s+0\s+tripped\s+4\s+compliant\s+0/,
    );
    expect(mail.text).toMatch(/333333333333 \[sandbox\]\s+failed/);
    expect(mail.text).toMatch(/333333333333 \(sandbox\)\s+member role missing/);
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('111111111111');
      expect(part).toContain('payments-prod');
      expect(part).toContain('Could not assume arn:aws:iam::333333333333:role/key-hygiene-member');
      expect(part).toContain('suspended or closing');
      expect(part).toContain('excluded (ORG_EXCLUDE_ACCOUNTS or --exclude)');
    }
  });

  it('says when the organization guard stopped every account', () => {
    const mail = renderOrganizationDigest({ ...input, guard: { limit: 5, planned: 8, tripped: true } });

    for (const part of [mail.html, mail.text]) expect(part).toContain('no account acted');
    expect(mail.text).toContain('8 deactivations and deletions planned, limit 5 (ORG_MAX_ACTIONS)');
  });

  it('escapes what the accounts hold', () => {
    const mail = renderOrganizationDigest({
      ...input,
      results: [
        accountResult({
          name: '<b>x</b>',
          status: 'failed',
          failure: { kind: 'error', message: '<script>' },
        }),
      ],
    });

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>x</b>');
  });

  it('attaches every key of every account with the account’s columns first, and defused formulas', () => {
    const [attachment] =
      renderOrganizationDigest({ ...input, results: [payments, analyticsNamed, sandbox] }).attachments ?? [];
    const rows: string[][] = parse(String(attachment?.content));

    expect(attachment?.filename).toBe('key-inventory-organization-2026-11-30.csv');
    expect(rows[0]).toEqual(['account_id', 'account_alias', 'account_name', ...KEY_INVENTORY_COLUMNS]);
    expect(rows.slice(1).map((row) => row.slice(0, 4))).toEqual([
      ['111111111111', 'payments-prod', 'payments', 'alice'],
      ['111111111111', 'payments-prod', 'payments', "'=cmd"],
      ['222222222222', '', `'=HYPERLINK("x")`, 'bob'],
    ]);
  });

  it('names the accounts whose keys the CSV lacks', () => {
    expect(renderOrganizationDigest(input).html).toContain('inventory unavailable): 333333333333');
  });
});
