import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/kernel/errors.ts';
import { checkAccountIds, loadOrganizationConfig } from '../../../shared/organization/index.ts';

describe('loadOrganizationConfig', () => {
  it('defaults to every account, the key-hygiene-member role, 10 at once, no organization guard, results inline', () => {
    expect(loadOrganizationConfig({})).toEqual({
      memberRoleName: 'key-hygiene-member',
      includeOus: [],
      includeAccounts: [],
      excludeAccounts: [],
      maxConcurrency: 10,
      maxActions: undefined,
      resultsBucket: undefined,
      dryRun: false,
    });
  });

  it.each([
    [
      { ORG_MEMBER_ROLE_NAME: 'KeyHygiene+Member=1,a.b@c_d-e' },
      { memberRoleName: 'KeyHygiene+Member=1,a.b@c_d-e' },
    ],
    [
      { ORG_INCLUDE_OUS: ' ou-ab12-cd34ef56 , ou-0a1b2c3d-0123456789abcdef ' },
      { includeOus: ['ou-ab12-cd34ef56', 'ou-0a1b2c3d-0123456789abcdef'] },
    ],
    [
      { ORG_INCLUDE_ACCOUNTS: '111111111111,222222222222' },
      { includeAccounts: ['111111111111', '222222222222'] },
    ],
    [{ ORG_EXCLUDE_ACCOUNTS: '333333333333,' }, { excludeAccounts: ['333333333333'] }],
    [{ ORG_MAX_CONCURRENCY: '1' }, { maxConcurrency: 1 }],
    [{ ORG_MAX_CONCURRENCY: '1000' }, { maxConcurrency: 1000 }],
    [{ ORG_MAX_ACTIONS: '0' }, { maxActions: 0 }],
    [{ ORG_RESULTS_BUCKET: 'key-hygiene-prod-results' }, { resultsBucket: 'key-hygiene-prod-results' }],
    [
      { ORG_INCLUDE_OUS: '', ORG_MAX_ACTIONS: '' },
      { includeOus: [], maxActions: undefined },
    ],
    [{ DRY_RUN: 'TRUE' }, { dryRun: true }],
  ])('reads %j', (environment, expected) => {
    expect(loadOrganizationConfig(environment)).toMatchObject(expected);
  });

  it.each([
    ['ORG_MEMBER_ROLE_NAME', 'key hygiene'],
    ['ORG_MEMBER_ROLE_NAME', 'a'.repeat(65)],
    ['ORG_MEMBER_ROLE_NAME', 'role/key-hygiene'],
    ['ORG_INCLUDE_OUS', 'ou-ab12'],
    ['ORG_INCLUDE_OUS', 'r-ab12'],
    ['ORG_INCLUDE_OUS', 'OU-AB12-CD34EF56'],
    ['ORG_INCLUDE_ACCOUNTS', '12345678901'],
    ['ORG_INCLUDE_ACCOUNTS', '111111111111,abc'],
    ['ORG_EXCLUDE_ACCOUNTS', '1234567890123'],
    ['ORG_MAX_CONCURRENCY', '0'],
    ['ORG_MAX_CONCURRENCY', '1001'],
    ['ORG_MAX_CONCURRENCY', 'ten'],
    ['ORG_MAX_ACTIONS', '-1'],
    ['ORG_RESULTS_BUCKET', 'Key_Hygiene'],
    ['DRY_RUN', 'yes'],
  ])('refuses %s=%j, naming the variable and the value', (name, value) => {
    const load = () => loadOrganizationConfig({ [name]: value });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`${name}: `);
    expect(load).toThrow(`(got ${JSON.stringify(value)})`);
  });
});

describe('checkAccountIds', () => {
  it('passes 12-digit ids through', () => {
    expect(checkAccountIds('--accounts', ['111111111111'])).toEqual(['111111111111']);
  });

  it.each([['11111111111'], ['abc'], ['1111111111111']])('refuses %j, naming the option', (id) => {
    expect(() => checkAccountIds('--exclude', ['111111111111', id])).toThrow(
      `--exclude: every item must be a 12-digit account id (got ${JSON.stringify(id)})`,
    );
  });
});
