import { describe, expect, it } from 'vitest';
import {
  deactivatedTag,
  deactivatedValue,
  noticeTag,
  noticeValue,
} from '../../../../shared/key-enforcement/key-records.ts';
import {
  type OwnerNotice,
  planOwnerNotices,
  unsentPart,
} from '../../../../shared/key-enforcement/notify/owner-notices.ts';
import { planKeyActions } from '../../../../shared/key-enforcement/plan/plan-key-actions.ts';
import type { KeyResult, UserKeyFacts } from '../../../../shared/key-enforcement/types.ts';
import {
  DEFAULT_SETTINGS,
  daysAgo,
  liveKey,
  NO_NIGHT_LIMITS,
  NOW,
  userFacts,
} from '../../../helpers/key-facts.ts';

const ACTED_AT = new Date('2026-11-23T03:00:05Z');

/** Plans for the users, pretends every destructive decision was done, and plans the notices. */
function notices(
  users: UserKeyFacts[],
  options: { outcome?: KeyResult['outcome']; now?: Date; settings?: typeof DEFAULT_SETTINGS } = {},
) {
  const now = options.now ?? NOW;
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const plan = planKeyActions({ rows: [], users, settings, limits: NO_NIGHT_LIMITS, now });
  const results: KeyResult[] = plan.decisions
    .filter((d) => d.decision === 'deactivate' || d.decision === 'delete')
    .map((decision) => ({ decision, outcome: options.outcome ?? 'done', actedAt: ACTED_AT }));
  return planOwnerNotices({
    decisions: plan.decisions,
    results,
    users,
    warningNoticeDays: [14, 7, 1],
    inactiveGraceDays: 30,
    recipients: { emailTag: 'email', emailDomain: 'corp.example' },
    now,
  });
}

describe('planOwnerNotices: first notices', () => {
  it.each([
    { case: '7 days out, the 7-day notice', firstNoticeDays: 7, daysLeft: 7, stage: 7 },
    { case: '3 days out, the 7-day notice', firstNoticeDays: 3, daysLeft: 3, stage: 7 },
    // Beyond every notice day, the first notice is sent all the same, recorded at its days left.
    { case: '30 days out, a notice of its own', firstNoticeDays: 30, daysLeft: 30, stage: 30 },
  ])('tells the owner of an overdue key never warned: $case', ({ firstNoticeDays, daysLeft, stage }) => {
    const key = liveKey('olga', { ageDays: 120 });
    const [notice] = notices([userFacts('olga', [key])], {
      settings: { ...DEFAULT_SETTINGS, firstNoticeDays, warningDays: 14 },
    });

    expect(notice?.items.map((item) => item.notice)).toEqual([
      expect.objectContaining({ kind: 'warning', stage, daysLeft }),
    ]);
    expect(notice?.records).toEqual({
      [noticeTag(key.accessKeyId)]: noticeValue({ kind: 'warning', stage }, key.createDate),
    });
  });
});

describe('planOwnerNotices: warnings', () => {
  it.each([
    { case: 'the first notice, 14 days out', ageDays: 76, sent: undefined, stage: 14 },
    {
      case: 'nothing new 10 days out after the 14-day notice',
      ageDays: 80,
      sent: 'warning-14',
      stage: undefined,
    },
    { case: 'the 7-day notice 7 days out', ageDays: 83, sent: 'warning-14', stage: 7 },
    {
      case: 'the 7-day notice when the 7-day night was missed (6 days out)',
      ageDays: 84,
      sent: 'warning-14',
      stage: 7,
    },
    { case: 'nothing again on a same-day rerun', ageDays: 83, sent: 'warning-7', stage: undefined },
    { case: 'the 1-day notice the night before', ageDays: 89, sent: 'warning-7', stage: 1 },
    {
      case: 'only the most urgent notice when several nights were missed',
      ageDays: 89,
      sent: undefined,
      stage: 1,
    },
    { case: 'a fresh notice when the record is unreadable', ageDays: 83, sent: 'warning-soon', stage: 7 },
  ])('sends $case', ({ ageDays, sent, stage }) => {
    const key = liveKey('nina', { ageDays });
    const tags = sent === undefined ? {} : { [noticeTag(key.accessKeyId)]: sent };
    const result = notices([userFacts('nina', [key], tags)]);
    if (stage === undefined) {
      expect(result).toEqual([]);
    } else {
      expect(result).toHaveLength(1);
      expect(result[0]?.items[0]?.notice).toMatchObject({ kind: 'warning', stage });
      expect(result[0]?.records).toEqual({
        [noticeTag(key.accessKeyId)]: noticeValue({ kind: 'warning', stage }, key.createDate),
      });
    }
  });

  it('gives the exact deactivation date and days left', () => {
    const key = liveKey('nina', { ageDays: 80 });
    const [notice] = notices([userFacts('nina', [key])]);
    expect(notice?.items[0]?.notice).toEqual({
      kind: 'warning',
      stage: 14,
      daysLeft: 10,
      deactivationDate: new Date('2026-12-03T03:00:00Z'),
    });
  });

  it('warns no one whose key is exempt', () => {
    const key = liveKey('eve', { ageDays: 85 });
    expect(notices([userFacts('eve', [key], { 'key-hygiene:exempt': 'true' })])).toEqual([]);
  });
});

describe('planOwnerNotices: actions', () => {
  it('tells the owner of a key deactivated tonight, with the deletion date', () => {
    const key = liveKey('bob', { ageDays: 120 });
    const [notice] = notices([userFacts('bob', [key])]);
    expect(notice?.items[0]?.notice).toEqual({
      kind: 'deactivated',
      at: ACTED_AT,
      deletionDate: new Date('2026-12-23T03:00:05Z'),
      late: false,
    });
    expect(notice?.records).toEqual({
      [noticeTag(key.accessKeyId)]: noticeValue({ kind: 'deactivated' }, key.createDate),
    });
  });

  it('tells no one of a change that was not made', () => {
    expect(notices([userFacts('bob', [liveKey('bob', { ageDays: 120 })])], { outcome: 'failed' })).toEqual(
      [],
    );
    expect(notices([userFacts('bob', [liveKey('bob', { ageDays: 120 })])], { outcome: 'skipped' })).toEqual(
      [],
    );
  });

  it('tells the owner of a deleted key, and records nothing for a key that is gone', () => {
    const key = liveKey('ivan', { ageDays: 300, status: 'Inactive' });
    const [notice] = notices([
      userFacts('ivan', [key], { [deactivatedTag(key.accessKeyId)]: daysAgo(40).toISOString() }),
    ]);
    expect(notice?.items[0]?.notice).toEqual({ kind: 'deleted', at: ACTED_AT });
    expect(notice?.records).toEqual({});
  });

  it('sends a deactivation notice that an earlier night failed to send, once', () => {
    const key = liveKey('judy', { ageDays: 200, status: 'Inactive' });
    const since = daysAgo(3);
    const unsent = notices([
      userFacts('judy', [key], { [deactivatedTag(key.accessKeyId)]: since.toISOString() }),
    ]);
    expect(unsent[0]?.items[0]?.notice).toMatchObject({ kind: 'deactivated', at: since, late: true });
    const sent = notices([
      userFacts('judy', [key], {
        [deactivatedTag(key.accessKeyId)]: since.toISOString(),
        [noticeTag(key.accessKeyId)]: 'deactivated',
      }),
    ]);
    expect(sent).toEqual([]);
  });

  it('sends no deactivation notice for a key someone else deactivated', () => {
    const key = liveKey('hank', { ageDays: 200, status: 'Inactive' });
    expect(notices([userFacts('hank', [key])])).toEqual([]);
  });

  it('puts every key of one owner in one notice, and only that owner’s keys', () => {
    const old = liveKey('tara', { ageDays: 120 });
    const soon = liveKey('tara', { ageDays: 85 });
    const other = liveKey('bob', { ageDays: 120 });
    const result = notices([userFacts('tara', [old, soon]), userFacts('bob', [other])]);
    expect(result.map((n) => [n.userName, n.items.map((i) => i.accessKeyId)])).toEqual([
      ['tara', [old.accessKeyId, soon.accessKeyId]],
      ['bob', [other.accessKeyId]],
    ]);
  });

  it('resolves the recipient of each notice', () => {
    const [tagged] = notices([
      userFacts('bob', [liveKey('bob', { ageDays: 120 })], { email: 'robert@corp.example' }),
    ]);
    expect(tagged?.recipient).toEqual({ address: 'robert@corp.example', source: 'tag' });
    const [domain] = notices([userFacts('bob', [liveKey('bob', { ageDays: 120 })])]);
    expect(domain?.recipient).toEqual({ address: 'bob@corp.example', source: 'domain' });
  });
});

describe('unsentPart: the notice less what another run has sent since this run planned', () => {
  const WARNING_KEY = 'AKIAWARNED0000000001';
  const DEACTIVATED_KEY = 'AKIADEACTIVATED00001';
  const DELETED_KEY = 'AKIADELETED000000001';
  const planned: OwnerNotice = {
    userName: 'tara',
    recipient: { address: 'tara@corp.example', source: 'domain' },
    items: [
      {
        accessKeyId: WARNING_KEY,
        ageDays: 83,
        createDate: daysAgo(83),
        reason: 'r',
        notice: { kind: 'warning', stage: 7, daysLeft: 7, deactivationDate: NOW },
      },
      {
        accessKeyId: DEACTIVATED_KEY,
        ageDays: 120,
        createDate: daysAgo(120),
        reason: 'r',
        notice: { kind: 'deactivated', at: ACTED_AT, deletionDate: NOW, late: false },
      },
      {
        accessKeyId: DELETED_KEY,
        ageDays: 200,
        createDate: daysAgo(200),
        reason: 'r',
        notice: { kind: 'deleted', at: ACTED_AT },
      },
    ],
    records: { [noticeTag(WARNING_KEY)]: 'warning-7', [noticeTag(DEACTIVATED_KEY)]: 'deactivated' },
  };

  it.each([
    {
      case: 'all of it when nothing was recorded',
      tags: {},
      left: [WARNING_KEY, DEACTIVATED_KEY, DELETED_KEY],
    },
    {
      case: 'all of it when only an earlier, less urgent warning was recorded',
      tags: { [noticeTag(WARNING_KEY)]: 'warning-14' },
      left: [WARNING_KEY, DEACTIVATED_KEY, DELETED_KEY],
    },
    {
      case: 'no warning once the same warning was recorded',
      tags: { [noticeTag(WARNING_KEY)]: 'warning-7' },
      left: [DEACTIVATED_KEY, DELETED_KEY],
    },
    {
      case: 'no warning once a more urgent one was recorded',
      tags: { [noticeTag(WARNING_KEY)]: 'warning-1' },
      left: [DEACTIVATED_KEY, DELETED_KEY],
    },
    {
      case: 'no warning once the deactivation was told',
      tags: { [noticeTag(WARNING_KEY)]: 'deactivated' },
      left: [DEACTIVATED_KEY, DELETED_KEY],
    },
    {
      case: 'no deactivation notice once it was recorded',
      tags: { [noticeTag(DEACTIVATED_KEY)]: 'deactivated', team: 'data' },
      left: [WARNING_KEY, DELETED_KEY],
    },
  ])('leaves $case', ({ tags, left }) => {
    const rest = unsentPart(planned, tags);
    expect(rest?.items.map((item) => item.accessKeyId)).toEqual(left);
    // Only the records of what is still to be sent are written after it.
    expect(Object.keys(rest?.records ?? {})).toEqual(
      left.filter((key) => key !== DELETED_KEY).map((key) => noticeTag(key)),
    );
  });

  it('leaves nothing when every recordable notice was sent and nothing was deleted', () => {
    const withoutDeletion = { ...planned, items: planned.items.slice(0, 2) };
    expect(
      unsentPart(withoutDeletion, {
        [noticeTag(WARNING_KEY)]: 'warning-7',
        [noticeTag(DEACTIVATED_KEY)]: 'deactivated',
      }),
    ).toBeUndefined();
  });
});

// A key re-activated every morning is deactivated every night: its owner is told once, not nightly.
describe('planOwnerNotices: a key found re-activated after this service deactivated it', () => {
  const FIRST = daysAgo(3);
  it.each([
    { case: 'the first deactivation was told', sent: 'deactivated', told: true },
    { case: 'nothing was recorded as told', sent: undefined, told: true },
    { case: 'the re-activation was told already', sent: 'reactivated', told: false },
  ])('tells the owner once when $case: $told', ({ sent, told }) => {
    const key = liveKey('mallory', { ageDays: 120 });
    const tags: Record<string, string> = {
      [deactivatedTag(key.accessKeyId)]: deactivatedValue(FIRST, true, key.createDate),
    };
    if (sent !== undefined) tags[noticeTag(key.accessKeyId)] = sent;
    const result = notices([userFacts('mallory', [key], tags)]);
    if (!told) {
      expect(result).toEqual([]);
      return;
    }
    expect(result).toHaveLength(1);
    expect(result[0]?.items.map((item) => item.notice)).toEqual([
      {
        kind: 'deactivated',
        at: ACTED_AT,
        deletionDate: daysAgo(-27),
        late: false,
        firstDeactivatedAt: FIRST,
      },
    ]);
    expect(result[0]?.records).toEqual({
      [noticeTag(key.accessKeyId)]: noticeValue({ kind: 'reactivated' }, key.createDate),
    });
  });

  it('sends no late deactivation notice for a key whose re-activation was told', () => {
    const key = liveKey('mallory', { ageDays: 120, status: 'Inactive' });
    const tags = {
      [deactivatedTag(key.accessKeyId)]: deactivatedValue(FIRST, true, key.createDate),
      [noticeTag(key.accessKeyId)]: 'reactivated',
    };
    expect(notices([userFacts('mallory', [key], tags)])).toEqual([]);
  });

  it('leaves nothing unsent once the re-activation is recorded as told', () => {
    const key = liveKey('mallory', { ageDays: 120 });
    const tags = { [deactivatedTag(key.accessKeyId)]: deactivatedValue(FIRST, true, key.createDate) };
    const [notice] = notices([userFacts('mallory', [key], tags)]);
    if (notice === undefined) throw new Error('a notice was planned');
    expect(unsentPart(notice, { [noticeTag(key.accessKeyId)]: 'reactivated' })).toBeUndefined();
    expect(unsentPart(notice, { [noticeTag(key.accessKeyId)]: 'deactivated' })).toEqual(notice);
  });
});
