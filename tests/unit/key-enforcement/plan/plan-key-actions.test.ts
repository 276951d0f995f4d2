import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../../../shared/credential-report/parse-report.ts';
import { deactivatedTag, inactiveSinceTag } from '../../../../shared/key-enforcement/key-records.ts';
import { planKeyActions } from '../../../../shared/key-enforcement/plan/plan-key-actions.ts';
import type { KeyDecision, UserKeyFacts } from '../../../../shared/key-enforcement/types.ts';
import { reportCsv, sampleReportCsv } from '../../../helpers/credential-report-csv.ts';
import { DEFAULT_SETTINGS, daysAgo, liveKey, NOW, userFacts } from '../../../helpers/key-facts.ts';

const SECOND = 1000;

function decide(user: UserKeyFacts, settings = DEFAULT_SETTINGS, now = NOW): KeyDecision[] {
  return planKeyActions({ rows: [], users: [user], settings, now }).decisions;
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
        set: { [inactiveSinceTag(key.accessKeyId)]: NOW.toISOString() },
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
      rows: [],
      users: [userFacts('u', [key], { [deactivatedTag(key.accessKeyId)]: 'garbage' })],
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    expect(only(plan.decisions).decision).toBe('none');
    expect(plan.recordChanges[0]?.set).toEqual({ [inactiveSinceTag(key.accessKeyId)]: NOW.toISOString() });
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
  });

  it('plans no record change when the records are in order', () => {
    const key = liveKey('u', { ageDays: 300, status: 'Inactive' });
    const plan = planKeyActions({
      rows: [],
      users: [userFacts('u', [key], { [deactivatedTag(key.accessKeyId)]: daysAgo(3).toISOString() })],
      settings: DEFAULT_SETTINGS,
      now: NOW,
    });
    expect(plan.recordChanges).toEqual([]);
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
    const rows = parseCredentialReport(sampleReportCsv());
    const plan = planKeyActions({ rows, users: [], settings: DEFAULT_SETTINGS, now: NOW });
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
    );
    const plan = planKeyActions({ rows, users: [], settings: DEFAULT_SETTINGS, now: NOW });
    expect(plan.findings.map((finding) => finding.severity)).toEqual(
      severity === undefined ? [] : [severity],
    );
  });
});
