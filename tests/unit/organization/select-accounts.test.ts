import { describe, expect, it } from 'vitest';
import { type OrganizationAccount, selectAccounts } from '../../../shared/organization/index.ts';

const account = (accountId: string, extra: Partial<OrganizationAccount> = {}): OrganizationAccount => ({
  accountId,
  name: `acct-${accountId.slice(0, 1)}`,
  status: 'ACTIVE',
  ...extra,
});
const A = account('111111111111');
const B = account('222222222222', { ous: ['ou-ab12-aaaaaaaa'] });
const C = account('333333333333', { ous: ['ou-ab12-bbbbbbbb'] });
const SUSPENDED = account('444444444444', { status: 'SUSPENDED' });
const CLOSING = account('555555555555', { status: 'PENDING_CLOSURE' });
const NONE = { includeOus: [], includeAccounts: [], excludeAccounts: [] };

describe('selectAccounts', () => {
  it.each([
    [
      'every active account when nothing is included or excluded',
      NONE,
      ['111111111111', '222222222222', '333333333333'],
      [],
    ],
    [
      'exclusion wins over inclusion',
      { ...NONE, includeAccounts: ['111111111111'], excludeAccounts: ['111111111111'] },
      [],
      [
        ['111111111111', 'excluded'],
        ['222222222222', 'not-included'],
        ['333333333333', 'not-included'],
      ],
    ],
    [
      'an included OU takes its accounts (nested OUs arrive as the OU)',
      { ...NONE, includeOus: ['ou-ab12-aaaaaaaa'] },
      ['222222222222'],
      [
        ['111111111111', 'not-included'],
        ['333333333333', 'not-included'],
      ],
    ],
    [
      'included accounts and OUs add up',
      { ...NONE, includeOus: ['ou-ab12-bbbbbbbb'], includeAccounts: ['111111111111'] },
      ['111111111111', '333333333333'],
      [['222222222222', 'not-included']],
    ],
    [
      'excluded accounts are left out of everything else',
      { ...NONE, excludeAccounts: ['222222222222'] },
      ['111111111111', '333333333333'],
      [['222222222222', 'excluded']],
    ],
  ])('%s', (_case, selection, selected, skipped) => {
    const result = selectAccounts([C, B, A], selection);

    expect(result.accounts.map((target) => target.accountId)).toEqual(selected);
    expect(result.skipped.map((left) => [left.accountId, left.reason])).toEqual(skipped);
  });

  it('skips suspended and closing accounts, even when included by id', () => {
    const result = selectAccounts([A, SUSPENDED, CLOSING], {
      ...NONE,
      includeAccounts: ['444444444444', '555555555555', '111111111111'],
    });

    expect(result.accounts.map((target) => target.accountId)).toEqual(['111111111111']);
    expect(result.skipped).toEqual([
      { accountId: '444444444444', name: 'acct-4', reason: 'suspended' },
      { accountId: '555555555555', name: 'acct-5', reason: 'suspended' },
    ]);
  });

  it('hands on the id and name only: no status or OU travels to the Map', () => {
    expect(selectAccounts([B], NONE).accounts).toEqual([{ accountId: '222222222222', name: 'acct-2' }]);
  });
});
