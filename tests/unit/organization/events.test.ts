import { describe, expect, it } from 'vitest';
import {
  InvalidOrganizationEventError,
  parseAccountEvent,
  parseDigestEvent,
  parseListAccountsEvent,
} from '../../../shared/organization/index.ts';

const NOW = new Date('2026-11-30T03:00:00Z');
const ACCOUNT = { accountId: '111111111111', name: 'payments' };
const LISTED = { night: '2026-11-30', dryRun: false, accounts: [ACCOUNT], skipped: [] };

describe('parseListAccountsEvent', () => {
  it.each([
    [undefined, { night: '2026-11-30', dryRun: false }],
    [{}, { night: '2026-11-30', dryRun: false }],
    [
      { dryRun: true, night: '2026-11-29' },
      { night: '2026-11-29', dryRun: true },
    ],
    [{ 'detail-type': 'Scheduled Event' }, { night: '2026-11-30', dryRun: false }],
  ])('reads %j', (event, request) => {
    expect(parseListAccountsEvent(event, NOW)).toEqual(request);
  });

  it.each([[{ dryRun: 'yes' }], [{ night: '30.11.2026' }]])('refuses %j, naming the field', (event) => {
    expect(() => parseListAccountsEvent(event, NOW)).toThrow(InvalidOrganizationEventError);
    expect(() => parseListAccountsEvent(event, NOW)).toThrow(
      /Invalid orgListAccounts event: (dryRun|night):/,
    );
  });
});

describe('parseAccountEvent', () => {
  it('reads the Map item with the night', () => {
    expect(
      parseAccountEvent({ night: '2026-11-30', dryRun: false, account: ACCOUNT, forecast: true }),
    ).toEqual({
      night: '2026-11-30',
      dryRun: false,
      account: ACCOUNT,
      forecast: true,
    });
  });

  it.each([
    [{ dryRun: false, account: ACCOUNT }, 'night'],
    [{ night: '2026-11-30', account: ACCOUNT }, 'dryRun'],
    [{ night: '2026-11-30', dryRun: false, account: { accountId: '1234', name: 'x' } }, 'account.accountId'],
    [{ night: '2026-11-30', dryRun: false }, 'account'],
  ])('refuses %j, naming %s', (event, field) => {
    expect(() => parseAccountEvent(event)).toThrow(`Invalid orgEnforceAccount event: ${field}:`);
  });
});

describe('parseDigestEvent', () => {
  it.each([
    [{ night: '2026-11-30', dryRun: false, listed: LISTED, results: [] }],
    [{ night: '2026-11-30', dryRun: true, listed: LISTED, resultsLocation: { bucket: 'b', prefix: 'p' } }],
    [
      {
        night: '2026-11-30',
        dryRun: false,
        listed: LISTED,
        results: [],
        guard: { limit: 1, planned: 2, tripped: true },
      },
    ],
  ])('reads %j', (event) => {
    expect(parseDigestEvent(event)).toMatchObject(event);
  });

  it.each([
    [{ night: '2026-11-30', dryRun: false, listed: LISTED }],
    [{ night: '2026-11-30', dryRun: false, results: [] }],
    [
      {
        night: '2026-11-30',
        dryRun: false,
        listed: { ...LISTED, skipped: [{ accountId: '2', name: 'x', reason: 'why' }] },
        results: [],
      },
    ],
  ])('refuses %j', (event) => {
    expect(() => parseDigestEvent(event)).toThrow(InvalidOrganizationEventError);
  });
});
