import { describe, expect, it } from 'vitest';
import {
  deactivatedTag,
  inactiveSinceTag,
  readInactiveRecords,
  recordTagKeys,
  recordTagsFor,
} from '../../../shared/key-policy/key-records.ts';

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

  it('lists every record tag, and every tag to remove after a deletion', () => {
    expect(recordTagKeys({ [deactivatedTag('AKIA1')]: 'x', team: 'y' })).toEqual([
      { tagKey: deactivatedTag('AKIA1'), accessKeyId: 'AKIA1' },
    ]);
    expect(recordTagsFor('AKIA1')).toEqual([deactivatedTag('AKIA1'), inactiveSinceTag('AKIA1')]);
  });
});
