import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../../../shared/credential-report/parse-report.ts';
import {
  deactivatedTag,
  deactivatedValue,
  deactivateOnTag,
  inactiveSinceTag,
  noticeTag,
} from '../../../../shared/key-enforcement/key-records.ts';
import { planKeyActions } from '../../../../shared/key-enforcement/plan/plan-key-actions.ts';
import type { KeyDecision, UserKeyFacts } from '../../../../shared/key-enforcement/types.ts';
import { reportCsv, sampleReportCsv } from '../../../helpers/credential-report-csv.ts';
import {
  DEFAULT_SETTINGS,
  daysAgo,
  liveKey,
  NO_NIGHT_LIMITS,
  NOW,
  userFacts,
} from '../../../helpers/key-facts.ts';

const SECOND = 1000;

function decide(user: UserKeyFacts, settings = DEFAULT_SETTINGS, now = NOW): KeyDecision[] {
  return planKeyActions({ rows: [], users: [user], settings, limits: NO_NIGHT_LIMITS, now }).decisions;
}

function only(decisions: KeyDecision[]): KeyDecision {
  expect(decisions).toHaveLength(1);
  return decisions[0] as KeyDecision;
}

describe('planKeyActions: active keys by age', () => {
  it.each([
    { case: 'a fresh key', createDate: daysAgo(10), decision: 'none' },
    { case: 'a key one day before the warning window', createDate: daysAgo(75), decision: 'none' },
    { case: 'a key entering the warning window (76 days)', createDate: daysAgo(76), decision: 'warn' },
    { case: 'a key 89 days old', createDate: daysAgo(89), decision: 'warn' },
    {
      case: 'a key exactly 90 days old (not yet older than the limit)',
      createDate: daysAgo(90),
      decision: 'warn',
    },
    {
      case: 'a key 90 days and one second old',
      createDate: new Date(daysAgo(90).getTime() - SECOND),
      decision: 'deactivate',
    },
    { case: 'a key 91 days old', createDate: daysAgo(91), decision: 'deactivate' },
    { case: 'a key 1000 days old', createDate: daysAgo(1000), decision: 'deactivate' },
  ])('decides $decision for $case', ({ createDate, decision }) => {
    const result = only(decide(userFacts('alice', [liveKey('alice', { createDate })])));
    expect(result.decision).toBe(decision);
  });

  it('explains a deactivation with the age and the limit', () => {
    const result = only(decide(userFacts('alice', [liveKey('alice', { ageDays: 120 })])));
    expect(result).toMatchObject({ decision: 'deactivate', ageDays: 120, deactivationRule: 'max-age' });
    expect(result.reason).toBe('active key 120 days old, limit 90: deactivate');
  });

  it('gives the exact deactivation date and the days left in a warning', () => {
    const result = only(decide(userFacts('alice', [liveKey('alice', { ageDays: 83 })])));
    expect(result.decision).toBe('warn');
    expect(result.deactivationDate?.toISOString()).toBe('2026-11-30T03:00:00.000Z');
    expect(result.reason).toBe('will be deactivated on 2026-11-30 (in 7 days): 83 days old, limit 90');
  });

  it('says "in 1 day" the night before and "today" on the deadline', () => {
    expect(only(decide(userFacts('a', [liveKey('a', { ageDays: 89 })]))).reason).toContain('(in 1 day)');
    expect(only(decide(userFacts('a', [liveKey('a', { ageDays: 90 })]))).reason).toContain('(today)');
  });

  it('follows KEY_MAX_AGE_DAYS and KEY_WARNING_DAYS', () => {
    const settings = { ...DEFAULT_SETTINGS, maxAgeDays: 30, warningDays: 3 };
    const decisions = decide(
      userFacts('a', [
        liveKey('a', { ageDays: 26 }),
        liveKey('a', { ageDays: 27 }),
        liveKey('a', { ageDays: 31 }),
      ]),
      settings,
    );
    expect(decisions.map((d) => d.decision)).toEqual(['deactivate', 'warn', 'none']);
  });

  it('uses the clock it is given, not the real time', () => {
    const key = liveKey('a', { createDate: new Date('2026-10-01T00:00:00Z') });
    expect(
      only(decide(userFacts('a', [key]), DEFAULT_SETTINGS, new Date('2026-11-01T00:00:00Z'))).decision,
    ).toBe('none');
    expect(
      only(decide(userFacts('a', [key]), DEFAULT_SETTINGS, new Date('2026-12-24T00:00:00Z'))).decision,
    ).toBe('warn');
    expect(
      only(decide(userFacts('a', [key]), DEFAULT_SETTINGS, new Date('2027-01-01T00:00:00Z'))).decision,
    ).toBe('deactivate');
  });
});

describe('planKeyActions: two keys of one user', () => {
  it('judges each key on its own: only the old key of a two-key user is deactivated', () => {
    const old = liveKey('tara', { ageDays: 200 });
    const fresh = liveKey('tara', { ageDays: 5 });
    const decisions = decide(userFacts('tara', [fresh, old]));
    expect(decisions.find((d) => d.accessKeyId === old.accessKeyId)?.decision).toBe('deactivate');
    expect(decisions.find((d) => d.accessKeyId === fresh.accessKeyId)?.decision).toBe('none');
  });

  it('deletes the inactive key and leaves the active sibling alone', () => {
    const inactive = liveKey('tara', { ageDays: 200, status: 'Inactive' });
    const active = liveKey('tara', { ageDays: 20 });
    const tags = { [deactivatedTag(inactive.accessKeyId)]: daysAgo(45).toISOString() };
    const decisions = decide(userFacts('tara', [active, inactive], tags));
    expect(decisions.find((d) => d.accessKeyId === inactive.accessKeyId)?.decision).toBe('delete');
    expect(decisions.find((d) => d.accessKeyId === active.accessKeyId)?.decision).toBe('none');
  });

  it('keeps key ids apart when both keys are due differently', () => {
    const a = liveKey('u', { ageDays: 95 });
    const b = liveKey('u', { ageDays: 80 });
    const decisions = decide(userFacts('u', [a, b]));
    expect(decisions.map((d) => [d.accessKeyId, d.decision])).toEqual([
      [a.accessKeyId, 'deactivate'],
      [b.accessKeyId, 'warn'],
    ]);
  });
});

describe('planKeyActions: inactive keys and the grace period', () => {
  it.each([
    { case: 'deactivated by the service 29 days ago', tag: deactivatedTag, since: 29, decision: 'none' },
    {
      case: 'deactivated by the service exactly 30 days ago',
      tag: deactivatedTag,
      since: 30,
      decision: 'delete',
    },
    { case: 'deactivated by the service 45 days ago', tag: deactivatedTag, since: 45, decision: 'delete' },
    { case: 'first seen inactive 10 days ago', tag: inactiveSinceTag, since: 10, decision: 'none' },
    { case: 'first seen inactive 31 days ago', tag: inactiveSinceTag, since: 31, decision: 'delete' },
  ])('decides $decision for a key $case', ({ tag, since, decision }) => {
    const key = liveKey('u', { ageDays: 400, status: 'Inactive' });
    const result = only(
      decide(userFacts('u', [key], { [tag(key.accessKeyId)]: daysAgo(since).toISOString() })),
    );
    expect(result.decision).toBe(decision);
    expect(result.inactiveSince?.toISOString()).toBe(daysAgo(since).toISOString());
  });

  it('counts the grace period from when the key became inactive, never from its creation', () => {
    const key = liveKey('u', { ageDays: 900, status: 'Inactive' });
    const result = only(
      decide(userFacts('u', [key], { [deactivatedTag(key.accessKeyId)]: daysAgo(3).toISOString() })),
    );
    expect(result.decision).toBe('none');
    expect(result.reason).toBe(
      'inactive since 2026-11-20 (deactivated by key-hygiene), 3 days; deletion due 2026-12-20',
    );
  });

  it('never deletes a key someone else deactivated on first sight: it starts the grace period now', () => {
    const key = liveKey('hank', { ageDays: 200, status: 'Inactive' });
    const plan = planKeyActions({
      limits: NO_NIGHT_LIMITS,
      rows: [],
      users: [userFacts('hank', [key])],
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    const result = only(plan.decisions);
    expect(result.decision).toBe('none');
    expect(result.reason).toContain('found inactive (not deactivated by key-hygiene)');
    expect(result.deletionDate?.toISOString()).toBe('2026-12-23T03:00:00.000Z');
    expect(plan.recordChanges).toEqual([
      expect.objectContaining({
        userName: 'hank',
        startGracePeriod: [key.accessKeyId],
        set: {},
      }),
    ]);
  });

  it('explains a deletion with the date, who deactivated it and the grace period', () => {
    const key = liveKey('u', { ageDays: 300, status: 'Inactive' });
    const result = only(
      decide(userFacts('u', [key], { [deactivatedTag(key.accessKeyId)]: daysAgo(40).toISOString() })),
    );
    expect(result.reason).toBe(
      'inactive since 2026-10-14 (deactivated by key-hygiene), 40 days, grace period 30: delete',
    );
  });

  it('follows KEY_INACTIVE_GRACE_DAYS', () => {
    const key = liveKey('u', { ageDays: 300, status: 'Inactive' });
    const tags = { [deactivatedTag(key.accessKeyId)]: daysAgo(10).toISOString() };
    expect(
      only(decide(userFacts('u', [key], tags), { ...DEFAULT_SETTINGS, inactiveGraceDays: 7 })).decision,
    ).toBe('delete');
    expect(
      only(decide(userFacts('u', [key], tags), { ...DEFAULT_SETTINGS, inactiveGraceDays: 11 })).decision,
    ).toBe('none');
  });

  it('treats an unreadable record as no record: the grace period starts again, later, never earlier', () => {
    const key = liveKey('u', { ageDays: 300, status: 'Inactive' });
    const plan = planKeyActions({
      limits: NO_NIGHT_LIMITS,
      rows: [],
      users: [userFacts('u', [key], { [deactivatedTag(key.accessKeyId)]: 'garbage' })],
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    expect(only(plan.decisions).decision).toBe('none');
    expect(plan.recordChanges[0]?.startGracePeriod).toEqual([key.accessKeyId]);
  });
});

describe('planKeyActions: records of keys', () => {
  it('forgets records of keys that no longer exist and of keys that are active again', () => {
    const reactivated = liveKey('u', { ageDays: 20 });
    const tags = {
      [deactivatedTag('AKIAGONE000000000000')]: daysAgo(40).toISOString(),
      [deactivatedTag(reactivated.accessKeyId)]: daysAgo(5).toISOString(),
      team: 'data',
    };
    const plan = planKeyActions({
      limits: NO_NIGHT_LIMITS,
      rows: [],
      users: [userFacts('u', [reactivated], tags)],
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    expect(plan.recordChanges).toHaveLength(1);
    expect(plan.recordChanges[0]?.remove.sort()).toEqual(
      [deactivatedTag('AKIAGONE000000000000'), deactivatedTag(reactivated.accessKeyId)].sort(),
    );
    expect(plan.recordChanges[0]?.set).toEqual({});
    expect(plan.recordChanges[0]?.startGracePeriod).toEqual([]);
  });

  it('plans no record change when the records are in order', () => {
    const key = liveKey('u', { ageDays: 300, status: 'Inactive' });
    const plan = planKeyActions({
      limits: NO_NIGHT_LIMITS,
      rows: [],
      users: [
        userFacts('u', [key], { [deactivatedTag(key.accessKeyId)]: deactivatedValue(daysAgo(3), true) }),
      ],
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    expect(plan.recordChanges).toEqual([]);
  });

  it('confirms an unconfirmed deactivation record of a key found inactive, keeping its date', () => {
    const key = liveKey('u', { ageDays: 300, status: 'Inactive' });
    const plan = planKeyActions({
      rows: [],
      users: [userFacts('u', [key], { [deactivatedTag(key.accessKeyId)]: daysAgo(3).toISOString() })],
      settings: DEFAULT_SETTINGS,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });
    expect(only(plan.decisions)).toMatchObject({ decision: 'none', inactiveSince: daysAgo(3) });
    expect(plan.recordChanges).toEqual([
      expect.objectContaining({
        set: { [deactivatedTag(key.accessKeyId)]: deactivatedValue(daysAgo(3), true) },
        remove: [],
        startGracePeriod: [],
      }),
    ]);
  });
});

// A key this service deactivated (confirmed record) and someone re-activated: the grace period counts from
// the first deactivation and never restarts.
describe('planKeyActions: keys re-activated after this service deactivated them', () => {
  it.each([
    {
      case: 'deactivated 1 day ago, re-activated',
      record: (id: string) => ({ [deactivatedTag(id)]: deactivatedValue(daysAgo(1), true) }),
      decision: 'deactivate',
      reason:
        're-activated after key-hygiene deactivated it on 2026-11-22: deactivate again; deletion stays due 2026-12-22',
      finding: true,
    },
    {
      case: 'deactivated 29 days ago, re-activated',
      record: (id: string) => ({ [deactivatedTag(id)]: deactivatedValue(daysAgo(29), true) }),
      decision: 'deactivate',
      reason:
        're-activated after key-hygiene deactivated it on 2026-10-25: deactivate again; deletion stays due 2026-11-24',
      finding: true,
    },
    {
      case: 'deactivated 30 days ago, re-activated: its deletion date has come',
      record: (id: string) => ({ [deactivatedTag(id)]: deactivatedValue(daysAgo(30), true) }),
      decision: 'delete',
      reason:
        're-activated after key-hygiene deactivated it on 2026-10-24; its 30-day grace period ended 2026-11-23: delete',
      finding: true,
    },
    {
      // Written before a deactivation that never happened (a run killed in between): stale, not a re-activation.
      case: 'with an unconfirmed deactivation record',
      record: (id: string) => ({ [deactivatedTag(id)]: daysAgo(1).toISOString() }),
      decision: 'deactivate',
      reason: 'active key 120 days old, limit 90: deactivate',
      finding: false,
    },
    {
      // Someone else deactivated it and someone re-activated it: this service never acted on it.
      case: 'with an inactive-since record',
      record: (id: string) => ({ [inactiveSinceTag(id)]: daysAgo(5).toISOString() }),
      decision: 'deactivate',
      reason: 'active key 120 days old, limit 90: deactivate',
      finding: false,
    },
  ])('decides $decision for an active key $case', ({ record, decision, reason, finding }) => {
    const key = liveKey('mallory', { ageDays: 120 });
    const plan = planKeyActions({
      rows: [],
      users: [userFacts('mallory', [key], record(key.accessKeyId))],
      settings: DEFAULT_SETTINGS,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });
    const result = only(plan.decisions);
    expect(result).toMatchObject({ decision, reason, status: 'Active' });
    expect(result.deactivationRule === 'reactivated').toBe(finding && decision === 'deactivate');
    expect(plan.findings.map((f) => [f.severity, f.subject])).toEqual(
      finding ? [['critical', 'mallory']] : [],
    );
  });

  it('keeps the confirmed record and its notice record of a re-activated key, and drops an unconfirmed one', () => {
    const reactivated = liveKey('u', { ageDays: 120 });
    const neverDeactivated = liveKey('u', { ageDays: 100 });
    const tags = {
      [deactivatedTag(reactivated.accessKeyId)]: deactivatedValue(daysAgo(3), true),
      [noticeTag(reactivated.accessKeyId)]: 'deactivated',
      [deactivatedTag(neverDeactivated.accessKeyId)]: daysAgo(1).toISOString(),
    };
    const plan = planKeyActions({
      rows: [],
      users: [userFacts('u', [reactivated, neverDeactivated], tags)],
      settings: DEFAULT_SETTINGS,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });
    expect(plan.recordChanges.map((change) => change.remove)).toEqual([
      [deactivatedTag(neverDeactivated.accessKeyId)],
    ]);
    expect(only(plan.decisions.filter((d) => d.accessKeyId === reactivated.accessKeyId))).toMatchObject({
      inactiveSince: daysAgo(3),
      inactiveSource: 'deactivated',
      deletionDate: daysAgo(-27),
    });
  });

  it('lets an exemption keep a re-activated key, and still reports it as a critical finding', () => {
    const key = liveKey('u', { ageDays: 120 });
    const plan = planKeyActions({
      rows: [],
      users: [
        userFacts('u', [key], {
          [deactivatedTag(key.accessKeyId)]: deactivatedValue(daysAgo(3), true),
          [DEFAULT_SETTINGS.exemptTag]: 'true',
        }),
      ],
      settings: DEFAULT_SETTINGS,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });
    expect(only(plan.decisions).decision).toBe('exempt');
    expect(plan.findings).toEqual([
      expect.objectContaining({ severity: 'critical', message: expect.stringContaining('left as it is') }),
    ]);
  });
});

describe('planKeyActions: exemptions', () => {
  const tag = DEFAULT_SETTINGS.exemptTag;

  it.each([
    { case: 'value true', value: 'true', decision: 'exempt' },
    { case: 'value TRUE in capitals', value: 'TRUE', decision: 'exempt' },
    { case: 'a future date', value: '2026-12-31', decision: 'exempt' },
    { case: 'today’s date (exempt through the end of the day)', value: '2026-11-23', decision: 'exempt' },
    { case: 'a future timestamp', value: '2026-11-23T04:00:00Z', decision: 'exempt' },
    { case: 'yesterday’s date (expired)', value: '2026-11-22', decision: 'deactivate' },
    { case: 'a past timestamp', value: '2026-11-23T02:59:59Z', decision: 'deactivate' },
    { case: 'value false', value: 'false', decision: 'deactivate' },
    { case: 'an unreadable value', value: 'next year', decision: 'hold' },
    { case: 'an impossible date', value: '2026-02-30', decision: 'hold' },
  ])('decides $decision for an overdue key of a user exempt by $case', ({ value, decision }) => {
    const result = only(decide(userFacts('eve', [liveKey('eve', { ageDays: 300 })], { [tag]: value })));
    expect(result.decision).toBe(decision);
  });

  it('says why a key is exempt and what would otherwise happen', () => {
    const result = only(
      decide(userFacts('eve', [liveKey('eve', { ageDays: 300 })], { [tag]: '2027-01-15' })),
    );
    expect(result.reason).toBe(
      `exempt until 2027-01-15 (end of that day, UTC), tag ${tag}; otherwise would deactivate: active key 300 days old, limit 90: deactivate`,
    );
    expect(result.exemptUntil).toEqual(new Date('2027-01-16T00:00:00Z'));
  });

  it.each([
    { case: 'a date', value: '2027-01-15', says: 'exempt until 2027-01-15 (end of that day, UTC)' },
    { case: 'a timestamp', value: '2027-01-15T17:30:00Z', says: 'exempt until 2027-01-15 17:30 UTC' },
    {
      case: 'a timestamp with seconds',
      value: '2027-01-15T17:30:05Z',
      says: 'exempt until 2027-01-15 17:30:05 UTC',
    },
    {
      case: 'a midnight timestamp',
      value: '2027-01-16T00:00:00Z',
      says: 'exempt until 2027-01-15 (end of that day, UTC)',
    },
    { case: 'a past date', value: '2026-11-13', says: 'exemption ended 2026-11-13 (end of that day, UTC)' },
    { case: 'a past timestamp', value: '2026-11-20T09:15:00Z', says: 'exemption ended 2026-11-20 09:15 UTC' },
  ])('writes the end of an exemption given as $case as a date people read', ({ value, says }) => {
    const result = only(decide(userFacts('eve', [liveKey('eve', { ageDays: 300 })], { [tag]: value })));
    expect(result.reason).toContain(`${says}, tag ${tag}`);
    expect(result.reason).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
  });

  it('names the ended exemption when the rules apply again', () => {
    const result = only(
      decide(userFacts('xena', [liveKey('xena', { ageDays: 150 })], { [tag]: '2026-11-13' })),
    );
    expect(result.decision).toBe('deactivate');
    expect(result.reason).toBe(
      `active key 150 days old, limit 90: deactivate; exemption ended 2026-11-13 (end of that day, UTC), tag ${tag}`,
    );
  });

  it('exempts deletions and warnings as well as deactivations', () => {
    const inactive = liveKey('eve', { ageDays: 300, status: 'Inactive' });
    const nearly = liveKey('eve', { ageDays: 85 });
    const tags = { [tag]: 'true', [deactivatedTag(inactive.accessKeyId)]: daysAgo(60).toISOString() };
    expect(decide(userFacts('eve', [inactive, nearly], tags)).map((d) => d.decision)).toEqual([
      'exempt',
      'exempt',
    ]);
  });

  it('leaves keys with nothing due as none for an exempt user', () => {
    expect(only(decide(userFacts('eve', [liveKey('eve', { ageDays: 5 })], { [tag]: 'true' }))).decision).toBe(
      'none',
    );
  });

  it('holds the keys of a user with an unreadable exemption and reports it as a finding', () => {
    const plan = planKeyActions({
      limits: NO_NIGHT_LIMITS,
      rows: [],
      users: [userFacts('eve', [liveKey('eve', { ageDays: 300 })], { [tag]: 'soon' })],
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    expect(only(plan.decisions).reason).toContain('held for review until the tag is fixed');
    expect(plan.findings).toEqual([expect.objectContaining({ severity: 'warning', subject: 'eve' })]);
  });

  it('honours a custom EXEMPT_TAG and ignores the default one', () => {
    const settings = { ...DEFAULT_SETTINGS, exemptTag: 'no-rotation' };
    const key = liveKey('eve', { ageDays: 300 });
    expect(only(decide(userFacts('eve', [key], { 'no-rotation': 'true' }), settings)).decision).toBe(
      'exempt',
    );
    expect(only(decide(userFacts('eve', [key], { [tag]: 'true' }), settings)).decision).toBe('deactivate');
  });
});

describe('planKeyActions: the unused-key rule', () => {
  const settings = { ...DEFAULT_SETTINGS, unusedDays: 30 };

  it('is off by default: an unused key is judged by age alone', () => {
    const key = liveKey('u', { ageDays: 60 });
    const result = only(
      decide(userFacts('u', [key], {}, [{ accessKeyId: key.accessKeyId, lastUsedDate: undefined }])),
    );
    expect(result.decision).toBe('none');
  });

  it.each([
    { case: 'used 31 days ago', ageDays: 60, lastUsed: 31, decision: 'deactivate' },
    { case: 'used 29 days ago', ageDays: 60, lastUsed: 29, decision: 'warn' },
    { case: 'used yesterday', ageDays: 60, lastUsed: 1, decision: 'none' },
    { case: 'never used, created 31 days ago', ageDays: 31, lastUsed: undefined, decision: 'deactivate' },
    { case: 'never used, created 20 days ago', ageDays: 20, lastUsed: undefined, decision: 'warn' },
    { case: 'never used, created 10 days ago', ageDays: 10, lastUsed: undefined, decision: 'none' },
  ])('decides $decision for an active key $case', ({ ageDays, lastUsed, decision }) => {
    const key = liveKey('u', { ageDays });
    const lastUsedDate = lastUsed === undefined ? undefined : daysAgo(lastUsed);
    const result = only(
      decide(userFacts('u', [key], {}, [{ accessKeyId: key.accessKeyId, lastUsedDate }]), settings),
    );
    expect(result.decision).toBe(decision);
  });

  it('names the rule, the last use and keeps it for the live re-check', () => {
    const key = liveKey('u', { ageDays: 60 });
    const result = only(
      decide(
        userFacts('u', [key], {}, [{ accessKeyId: key.accessKeyId, lastUsedDate: daysAgo(45) }]),
        settings,
      ),
    );
    expect(result).toMatchObject({ deactivationRule: 'unused', lastUsedDate: daysAgo(45) });
    expect(result.reason).toBe('active key unused since 2026-10-09 (45 days), unused limit 30: deactivate');
  });

  it('says a never-used key was never used, counted from creation', () => {
    const key = liveKey('u', { ageDays: 40 });
    const result = only(
      decide(
        userFacts('u', [key], {}, [{ accessKeyId: key.accessKeyId, lastUsedDate: undefined }]),
        settings,
      ),
    );
    expect(result.reason).toBe(
      'active key never used since its creation 40 days ago, unused limit 30: deactivate',
    );
  });

  it('applies the earlier of the two deadlines', () => {
    const key = liveKey('u', { ageDays: 95 });
    const result = only(
      decide(
        userFacts('u', [key], {}, [{ accessKeyId: key.accessKeyId, lastUsedDate: daysAgo(1) }]),
        settings,
      ),
    );
    expect(result).toMatchObject({ decision: 'deactivate', deactivationRule: 'max-age' });
  });
});

describe('planKeyActions: the root account', () => {
  it('never plans a decision for the root account and reports its active key as critical', () => {
    const rows = parseCredentialReport(sampleReportCsv()).rows;
    const plan = planKeyActions({
      rows,
      users: [],
      settings: DEFAULT_SETTINGS,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });
    expect(plan.decisions).toEqual([]);
    expect(plan.findings).toEqual([
      expect.objectContaining({ severity: 'critical', subject: '<root_account>' }),
    ]);
    expect(plan.findings[0]?.message).toContain('created 2021-04-02, last used 2026-10-30');
  });

  it.each([
    {
      case: 'an active key',
      active: 'true',
      rotated: '2021-04-02T10:00:00+00:00',
      used: 'N/A',
      severity: 'critical',
    },
    {
      case: 'an inactive key with a creation date',
      active: 'false',
      rotated: '2021-04-02T10:00:00+00:00',
      used: 'N/A',
      severity: 'warning',
    },
    // AWS leaves last_rotated N/A for some inactive keys; a last use still shows the key is there.
    {
      case: 'an inactive key known only by its last use',
      active: 'false',
      rotated: 'N/A',
      used: '2026-10-30T08:00:00+00:00',
      severity: 'warning',
    },
    { case: 'an empty slot', active: 'false', rotated: 'N/A', used: 'N/A', severity: undefined },
  ])('reports $case of the root account as $severity', ({ active, rotated, used, severity }) => {
    const rows = parseCredentialReport(
      reportCsv([
        {
          user: '<root_account>',
          arn: 'arn:aws:iam::123456789012:root',
          access_key_1_active: active,
          access_key_1_last_rotated: rotated,
          access_key_1_last_used_date: used,
        },
      ]),
    ).rows;
    const plan = planKeyActions({
      rows,
      users: [],
      settings: DEFAULT_SETTINGS,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });
    expect(plan.findings.map((finding) => finding.severity)).toEqual(
      severity === undefined ? [] : [severity],
    );
  });
});

describe('planKeyActions: first notices', () => {
  const FIRST_NOTICE = { ...DEFAULT_SETTINGS, firstNoticeDays: 7 };
  const ID = 'AKIAFIRST00000000001';
  const warned = (stage: number) => ({ [noticeTag(ID)]: `warning-${stage}` });
  const told = (date: string) => ({ [deactivateOnTag(ID)]: date });

  it.each([
    {
      case: 'an overdue key whose owner was never warned',
      ageDays: 120,
      tags: {},
      decision: 'warn',
      date: '2026-11-30T00:00:00.000Z',
      reason:
        'first notice: will be deactivated on 2026-11-30 (in 7 days), not earlier; overdue since 2026-10-24 and its owner never warned: 120 days old, limit 90',
    },
    {
      case: 'an overdue key whose owner was warned',
      ageDays: 120,
      tags: warned(1),
      decision: 'deactivate',
      date: '2026-10-24T03:00:00.000Z',
      reason: 'active key 120 days old, limit 90: deactivate',
    },
    {
      case: 'an overdue key active again after its deactivation notice',
      ageDays: 120,
      tags: { [noticeTag(ID)]: 'deactivated' },
      decision: 'warn',
      date: '2026-11-30T00:00:00.000Z',
      reason:
        'first notice: will be deactivated on 2026-11-30 (in 7 days), not earlier; overdue since 2026-10-24 and its owner never warned: 120 days old, limit 90',
    },
    {
      case: 'a key due in 3 days, never warned',
      ageDays: 87,
      tags: {},
      decision: 'warn',
      date: '2026-11-30T00:00:00.000Z',
      reason:
        'first notice: will be deactivated on 2026-11-30 (in 7 days), not earlier; due on 2026-11-26 and its owner never warned: 87 days old, limit 90',
    },
    {
      case: 'a key due in 3 days, warned',
      ageDays: 87,
      tags: warned(7),
      decision: 'warn',
      date: '2026-11-26T03:00:00.000Z',
      reason: 'will be deactivated on 2026-11-26 (in 3 days): 87 days old, limit 90',
    },
    {
      case: 'a key due in 10 days, never warned (its warnings are still due)',
      ageDays: 80,
      tags: {},
      decision: 'warn',
      date: '2026-12-03T03:00:00.000Z',
      reason: 'will be deactivated on 2026-12-03 (in 10 days): 80 days old, limit 90',
    },
    {
      case: 'an overdue key told a date still ahead',
      ageDays: 120,
      tags: told('2026-11-26T00:00:00.000Z'),
      decision: 'warn',
      date: '2026-11-26T00:00:00.000Z',
      reason:
        'will be deactivated on 2026-11-26 (in 3 days), as its owner was told on first notice: 120 days old, limit 90',
    },
    {
      case: 'an overdue key told a date now past',
      ageDays: 120,
      tags: told('2026-11-23T00:00:00.000Z'),
      decision: 'deactivate',
      date: '2026-11-23T00:00:00.000Z',
      reason:
        'active key due on 2026-11-23, as its owner was told on first notice: 120 days old, limit 90: deactivate',
    },
    {
      case: 'a key told a date before its own deadline (the later deadline wins)',
      ageDays: 50,
      tags: told('2026-11-23T00:00:00.000Z'),
      decision: 'none',
      date: '2027-01-02T03:00:00.000Z',
      reason: 'active, 50 days old, limit 90; due for deactivation on 2027-01-02',
    },
  ])('decides $decision for $case', ({ ageDays, tags, decision, date, reason }) => {
    const key = liveKey('olga', { ageDays, accessKeyId: ID });
    const result = only(decide(userFacts('olga', [key], tags), FIRST_NOTICE));

    expect(result.decision).toBe(decision);
    expect(result.deactivationDate?.toISOString()).toBe(date);
    expect(result.reason).toBe(reason);
    expect(result.firstNotice === true).toBe(reason.startsWith('first notice'));
  });

  it.each([
    { case: 'never warned', tags: {}, decision: 'deactivate' },
    {
      case: 'told a date still ahead (never before it)',
      tags: told('2026-11-26T00:00:00.000Z'),
      decision: 'warn',
    },
  ])('with first notices off (0 days), decides $decision for an overdue key $case', ({ tags, decision }) => {
    const key = liveKey('olga', { ageDays: 120, accessKeyId: ID });
    expect(only(decide(userFacts('olga', [key], tags), DEFAULT_SETTINGS)).decision).toBe(decision);
  });

  it.each([
    { case: 'a warning window of 3 days', warningDays: 3, ageDays: 87, date: '2026-11-30T00:00:00.000Z' },
    { case: 'no warning window', warningDays: 0, ageDays: 91, date: '2026-11-30T00:00:00.000Z' },
  ])(
    'gives at least the first notice days with $case: the first contact tells a date 7 days out',
    ({ warningDays, ageDays, date }) => {
      const settings = {
        ...FIRST_NOTICE,
        warningDays,
        warningNoticeDays: warningDays > 0 ? [warningDays] : [0],
      };
      const result = only(
        decide(userFacts('olga', [liveKey('olga', { ageDays, accessKeyId: ID })]), settings),
      );

      expect(result).toMatchObject({ decision: 'warn', firstNotice: true });
      expect(result.deactivationDate?.toISOString()).toBe(date);
    },
  );

  it('records the date told on first notice, and nothing for an exempt user', () => {
    const plan = planKeyActions({
      rows: [],
      users: [
        userFacts('olga', [liveKey('olga', { ageDays: 120, accessKeyId: ID })]),
        userFacts('eve', [liveKey('eve', { ageDays: 120 })], { 'key-hygiene:exempt': 'true' }),
      ],
      settings: FIRST_NOTICE,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });

    expect(plan.recordChanges).toEqual([
      {
        userName: 'olga',
        set: { [deactivateOnTag(ID)]: '2026-11-30T00:00:00.000Z' },
        remove: [],
        startGracePeriod: [],
        reason: 'record the deactivation date told on first notice',
      },
    ]);
    expect(plan.decisions.map((d) => d.decision)).toEqual(['warn', 'exempt']);
  });

  it('adds the told date to a user’s other record changes', () => {
    const inactive = liveKey('olga', { ageDays: 200, status: 'Inactive' });
    const plan = planKeyActions({
      rows: [],
      users: [userFacts('olga', [liveKey('olga', { ageDays: 120, accessKeyId: ID }), inactive])],
      settings: FIRST_NOTICE,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });

    expect(plan.recordChanges).toEqual([
      {
        userName: 'olga',
        set: { [deactivateOnTag(ID)]: '2026-11-30T00:00:00.000Z' },
        remove: [],
        startGracePeriod: [inactive.accessKeyId],
        reason:
          'start the 30-day grace period of 1 key(s) found inactive; record the deactivation date told on first notice',
      },
    ]);
  });

  it('spreads a backlog of first notices over nights, the most overdue first, and forecasts when it clears', () => {
    const users = Array.from({ length: 25 }, (_, index) =>
      userFacts(`u${index}`, [liveKey(`u${index}`, { ageDays: 100 + index, accessKeyId: `AKIAU${index}` })]),
    );
    const plan = planKeyActions({
      rows: [],
      users,
      settings: FIRST_NOTICE,
      limits: { deactivations: 10, deletions: 10 },
      now: NOW,
    });

    const dateOf = (userName: string) =>
      plan.decisions
        .find((d) => d.userName === userName)
        ?.deactivationDate?.toISOString()
        .slice(0, 10);
    expect(dateOf('u24')).toBe('2026-11-30');
    expect(dateOf('u15')).toBe('2026-11-30');
    expect(dateOf('u14')).toBe('2026-12-01');
    expect(dateOf('u0')).toBe('2026-12-02');
    expect(plan.budget.deactivate).toEqual({
      limit: 10,
      due: 0,
      tonight: 0,
      waiting: 0,
      remaining: 25,
      clearsOn: '2026-12-02',
    });
  });
});
