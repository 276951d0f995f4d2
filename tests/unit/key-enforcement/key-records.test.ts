import { describe, expect, it } from 'vitest';
import {
  deactivatedTag,
  deactivatedValue,
  deactivateOnTag,
  inactiveSinceTag,
  noticeTag,
  noticeValue,
  readInactiveRecords,
  readNoticeRecords,
  readToldDates,
  recordTagsFor,
  staleRecordTags,
  unconfirmedDeactivations,
} from '../../../shared/key-enforcement/key-records.ts';

describe('inactive-key records in user tags', () => {
  it('names one tag per key that fits IAM’s 128-character tag key limit', () => {
    expect(deactivatedTag('AKIAIOSFODNN7EXAMPLE')).toBe('key-hygiene:deactivated:AKIAIOSFODNN7EXAMPLE');
    expect(inactiveSinceTag('AKIAIOSFODNN7EXAMPLE')).toBe('key-hygiene:inactive-since:AKIAIOSFODNN7EXAMPLE');
    expect(inactiveSinceTag('A'.repeat(128 - 'key-hygiene:inactive-since:'.length)).length).toBe(128);
  });

  it('reads both kinds of record and ignores other tags and unreadable values', () => {
    const records = readInactiveRecords({
      [deactivatedTag('AKIA1')]: '2026-10-01T03:00:00.000Z',
      [inactiveSinceTag('AKIA2')]: '2026-11-01T03:00:00.000Z',
      [deactivatedTag('AKIA3')]: 'not a date',
      'key-hygiene:exempt': 'true',
      team: 'data',
    });
    expect([...records.keys()].sort()).toEqual(['AKIA1', 'AKIA2']);
    expect(records.get('AKIA1')).toMatchObject({
      source: 'deactivated',
      since: new Date('2026-10-01T03:00:00Z'),
    });
    expect(records.get('AKIA2')).toMatchObject({ source: 'seen-inactive' });
  });

  it('takes the later date when a key has both records, so deletion never comes early', () => {
    const records = readInactiveRecords({
      [deactivatedTag('AKIA1')]: '2026-09-01T00:00:00.000Z',
      [inactiveSinceTag('AKIA1')]: '2026-11-01T00:00:00.000Z',
    });
    expect(records.get('AKIA1')?.since).toEqual(new Date('2026-11-01T00:00:00Z'));
  });

  it('lists every tag to remove after a deletion', () => {
    expect(recordTagsFor('AKIA1')).toEqual([
      deactivatedTag('AKIA1'),
      inactiveSinceTag('AKIA1'),
      noticeTag('AKIA1'),
      deactivateOnTag('AKIA1'),
    ]);
  });

  it.each([
    {
      case: 'a deactivation record of an inactive key',
      tag: deactivatedTag('K'),
      value: 'x',
      key: 'Inactive',
      stale: false,
    },
    {
      case: 'a deactivation record of an active key',
      tag: deactivatedTag('K'),
      value: 'x',
      key: 'Active',
      stale: true,
    },
    {
      case: 'a deactivation record of a gone key',
      tag: deactivatedTag('K'),
      value: 'x',
      key: undefined,
      stale: true,
    },
    {
      case: 'an inactive-since record of a gone key',
      tag: inactiveSinceTag('K'),
      value: 'x',
      key: undefined,
      stale: true,
    },
    {
      case: 'a warning notice of an active key',
      tag: noticeTag('K'),
      value: 'warning-7',
      key: 'Active',
      stale: false,
    },
    {
      case: 'a warning notice of an inactive key',
      tag: noticeTag('K'),
      value: 'warning-7',
      key: 'Inactive',
      stale: false,
    },
    {
      case: 'a deactivation notice of an inactive key',
      tag: noticeTag('K'),
      value: 'deactivated',
      key: 'Inactive',
      stale: false,
    },
    {
      case: 'a deactivation notice of a key active again',
      tag: noticeTag('K'),
      value: 'deactivated',
      key: 'Active',
      stale: true,
    },
    { case: 'a notice of a gone key', tag: noticeTag('K'), value: 'warning-1', key: undefined, stale: true },
    {
      case: 'a confirmed deactivation record of a key active again (re-activated by someone)',
      tag: deactivatedTag('K'),
      value: '2026-11-01T03:00:00.000Z confirmed',
      key: 'Active',
      stale: false,
    },
    {
      case: 'a confirmed deactivation record of a gone key',
      tag: deactivatedTag('K'),
      value: '2026-11-01T03:00:00.000Z confirmed',
      key: undefined,
      stale: true,
    },
    {
      case: 'an unconfirmed deactivation record of an active key (the deactivation never happened)',
      tag: deactivatedTag('K'),
      value: '2026-11-01T03:00:00.000Z',
      key: 'Active',
      stale: true,
    },
    {
      case: 'a re-activation notice of a gone key',
      tag: noticeTag('K'),
      value: 'reactivated',
      key: undefined,
      stale: true,
    },
    { case: 'a tag of someone else', tag: 'team', value: 'data', key: undefined, stale: false },
    {
      case: 'a told deactivation date of an active key',
      tag: deactivateOnTag('K'),
      value: '2026-12-01T00:00:00.000Z',
      key: 'Active',
      stale: false,
    },
    {
      case: 'a told deactivation date of an inactive key',
      tag: deactivateOnTag('K'),
      value: '2026-12-01T00:00:00.000Z',
      key: 'Inactive',
      stale: true,
    },
    {
      case: 'a told deactivation date of a gone key',
      tag: deactivateOnTag('K'),
      value: '2026-12-01T00:00:00.000Z',
      key: undefined,
      stale: true,
    },
  ] as const)('finds $case stale: $stale', ({ tag, value, key, stale }) => {
    const liveKeys = key === undefined ? [] : [{ accessKeyId: 'K', status: key }];
    expect(staleRecordTags({ [tag]: value }, liveKeys)).toEqual(stale ? [tag] : []);
  });

  it('keeps the deactivation notice of a re-activated key whose deactivation is confirmed', () => {
    const tags = {
      [deactivatedTag('K')]: '2026-11-01T03:00:00.000Z confirmed',
      [noticeTag('K')]: 'deactivated',
    };
    expect(staleRecordTags(tags, [{ accessKeyId: 'K', status: 'Active' }])).toEqual([]);
  });

  it.each([
    ['2026-11-01T03:00:00.000Z', false],
    ['2026-11-01T03:00:00.000Z confirmed', true],
  ])('reads the deactivation record %j with its date, confirmed: %s', (value, confirmed) => {
    expect(readInactiveRecords({ [deactivatedTag('K')]: value }).get('K')).toMatchObject({
      since: new Date('2026-11-01T03:00:00Z'),
      source: 'deactivated',
      confirmed,
    });
  });

  it('writes a deactivation record value that reads back as written', () => {
    const since = new Date('2026-11-01T03:00:00Z');
    for (const confirmed of [true, false]) {
      const value = deactivatedValue(since, confirmed);
      expect(readInactiveRecords({ [deactivatedTag('K')]: value }).get('K')).toMatchObject({
        since,
        confirmed,
      });
    }
  });

  it.each([
    {
      case: 'unconfirmed, key inactive',
      value: '2026-11-01T03:00:00.000Z',
      status: 'Inactive',
      confirm: true,
    },
    { case: 'unconfirmed, key active', value: '2026-11-01T03:00:00.000Z', status: 'Active', confirm: false },
    {
      case: 'confirmed, key inactive',
      value: '2026-11-01T03:00:00.000Z confirmed',
      status: 'Inactive',
      confirm: false,
    },
    { case: 'unconfirmed, key gone', value: '2026-11-01T03:00:00.000Z', status: undefined, confirm: false },
  ] as const)('confirms a deactivation record that is $case: $confirm', ({ value, status, confirm }) => {
    const liveKeys = status === undefined ? [] : [{ accessKeyId: 'K', status }];
    expect(unconfirmedDeactivations({ [deactivatedTag('K')]: value }, liveKeys)).toEqual(
      confirm ? { [deactivatedTag('K')]: '2026-11-01T03:00:00.000Z confirmed' } : {},
    );
  });

  it('reads notice records and ignores unreadable ones', () => {
    const notices = readNoticeRecords({
      [noticeTag('A')]: 'warning-14',
      [noticeTag('B')]: 'deactivated',
      [noticeTag('C')]: 'warning-soon',
      [noticeTag('D')]: 'reactivated',
    });
    expect([...notices.entries()]).toEqual([
      ['A', { kind: 'warning', stage: 14 }],
      ['B', { kind: 'deactivated' }],
      ['D', { kind: 'reactivated' }],
    ]);
    expect(noticeValue({ kind: 'reactivated' })).toBe('reactivated');
    expect(noticeValue({ kind: 'warning', stage: 7 })).toBe('warning-7');
  });

  it('reads the deactivation dates told on first notice and ignores unreadable ones', () => {
    const told = readToldDates({
      [deactivateOnTag('A')]: '2026-12-01T00:00:00.000Z',
      [deactivateOnTag('B')]: 'next week',
      [noticeTag('C')]: 'warning-7',
    });
    expect([...told.entries()]).toEqual([['A', new Date('2026-12-01T00:00:00.000Z')]]);
    expect(deactivateOnTag('AKIA1')).toBe('key-hygiene:deactivate-on:AKIA1');
  });
});
