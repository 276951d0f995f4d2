import { describe, expect, it } from 'vitest';
import {
  NO_MFA_TAG,
  noMfaValue,
  PASSWORD_NOTICE_TAG,
  PASSWORD_REMOVE_ON_TAG,
  passwordNoticeValue,
} from '../../../shared/console-access/console-records.ts';
import {
  idleUser,
  mfaFinding,
  planConsoleAccess,
} from '../../../shared/console-access/plan/plan-console-access.ts';
import { selectConsoleUsersForReview } from '../../../shared/console-access/plan/review-selection.ts';
import { parseCredentialReport } from '../../../shared/credential-report/parse-report.ts';
import { consoleRow, daysAgo, NOW, SETTINGS } from '../../helpers/console-facts.ts';
import { reportTime, sampleReportCsv } from '../../helpers/credential-report-csv.ts';

const HOUR = 3_600_000;

describe('mfaFinding: reminders at most every MFA_REMINDER_DAYS, the first right away', () => {
  it.each([
    { case: 'first seen tonight', record: undefined, due: true },
    { case: 'seen before, never reminded (mail was off)', record: { since: daysAgo(20) }, due: true },
    { case: 'reminded last night', record: { since: daysAgo(20), remindedAt: daysAgo(1) }, due: false },
    { case: 'reminded 6 nights ago', record: { since: daysAgo(20), remindedAt: daysAgo(6) }, due: false },
    {
      case: 'reminded 7 nights ago, that run a minute later in the night',
      record: { since: daysAgo(20), remindedAt: new Date(daysAgo(7).getTime() + 60_000) },
      due: true,
    },
    {
      case: 'reminded 7 days and 13 hours short',
      record: { since: daysAgo(20), remindedAt: new Date(daysAgo(7).getTime() + 13 * HOUR) },
      due: false,
    },
    { case: 'reminded 30 days ago', record: { since: daysAgo(40), remindedAt: daysAgo(30) }, due: true },
  ])('$case: due $due', ({ record, due }) => {
    const tags: Record<string, string> = record ? { [NO_MFA_TAG]: noMfaValue(record) } : {};
    const finding = mfaFinding('alice', tags, SETTINGS, NOW);
    expect(finding.reminderDue).toBe(due);
    expect(finding.withoutMfaSince).toEqual(record?.since ?? NOW);
  });

  it('never reminds with MFA_REMINDER_DAYS=0, yet still lists the user', () => {
    expect(mfaFinding('alice', {}, { ...SETTINGS, mfaReminderDays: 0 }, NOW).reminderDue).toBe(false);
  });

  it('spaces reminders by the setting', () => {
    const tags = { [NO_MFA_TAG]: noMfaValue({ since: daysAgo(40), remindedAt: daysAgo(10) }) };
    expect(mfaFinding('alice', tags, { ...SETTINGS, mfaReminderDays: 14 }, NOW).reminderDue).toBe(false);
    expect(mfaFinding('alice', tags, { ...SETTINGS, mfaReminderDays: 7 }, NOW).reminderDue).toBe(true);
  });
});

describe('idleUser: no password, no active key, nothing done for USER_IDLE_DAYS', () => {
  const key = (active: boolean, usedDaysAgo?: number) => ({
    access_key_1_active: active ? 'true' : 'false',
    access_key_1_last_rotated: reportTime(daysAgo(500)),
    access_key_1_last_used_date: usedDaysAgo === undefined ? 'N/A' : reportTime(daysAgo(usedDaysAgo)),
  });
  it.each([
    { case: 'no credentials, created 200 days ago', cells: {}, created: 200, idle: 200, source: 'created' },
    {
      case: 'no credentials, created 30 days ago',
      cells: {},
      created: 30,
      idle: undefined,
      source: undefined,
    },
    {
      case: 'an inactive key last used 120 days ago',
      cells: key(false, 120),
      created: 900,
      idle: 120,
      source: 'access key',
    },
    {
      case: 'an inactive key last used 10 days ago',
      cells: key(false, 10),
      created: 900,
      idle: undefined,
      source: undefined,
    },
    {
      case: 'an active key, unused for years',
      cells: key(true),
      created: 900,
      idle: undefined,
      source: undefined,
    },
    {
      case: 'a password removed: the last sign-in 300 days ago',
      cells: { password_last_used: reportTime(daysAgo(300)) },
      created: 900,
      idle: 300,
      source: 'sign-in',
    },
  ])('$case: idle $idle', ({ cells, created, idle, source }) => {
    const found = idleUser(consoleRow({ createdDaysAgo: created, cells }), SETTINGS, NOW);
    expect(found?.idleDays).toBe(idle);
    expect(found?.lastActivitySource).toBe(source);
  });

  it('never lists a console user, the root account, or anyone with the setting off', () => {
    expect(idleUser(consoleRow({ setDaysAgo: 900, createdDaysAgo: 900 }), SETTINGS, NOW)).toBeUndefined();
    expect(
      idleUser(consoleRow({ createdDaysAgo: 900 }), { ...SETTINGS, userIdleDays: 0 }, NOW),
    ).toBeUndefined();
    const root = parseCredentialReport(sampleReportCsv()).rows.find((row) => row.isRoot);
    expect(root && idleUser(root, SETTINGS, NOW)).toBeUndefined();
  });
});

describe('planConsoleAccess', () => {
  it('judges keys and passwords apart: a console user with an old key is judged on the password alone', () => {
    const row = consoleRow({
      setDaysAgo: 200,
      usedDaysAgo: 2,
      mfa: true,
      cells: { access_key_1_active: 'true', access_key_1_last_rotated: reportTime(daysAgo(400)) },
    });
    const plan = planConsoleAccess({ rows: [row], tags: new Map(), settings: SETTINGS, now: NOW });
    expect(plan.passwords.map((decision) => decision.decision)).toEqual(['none']);
    expect(plan.mfa).toEqual([]);
    expect(plan.idle).toEqual([]);
  });

  it('reads the AWS-format sample: no_information is a password never used, the root row is never judged', () => {
    const { rows } = parseCredentialReport(sampleReportCsv());
    const plan = planConsoleAccess({ rows, tags: new Map(), settings: SETTINGS, now: NOW });
    expect(plan.passwords.map((decision) => [decision.userName, decision.activitySource])).toEqual([
      ['alice', 'last sign-in'],
      ['first.last+ops@corp.example', 'password set, never used'],
      ['carol', 'password set, never used'],
    ]);
    expect(plan.mfa.map((finding) => finding.userName)).toEqual(['first.last+ops@corp.example', 'carol']);
    // legacy-etl has not used its key since 2018, but the key is active: that is the key rules' business.
    expect(plan.idle).toEqual([]);
  });
});

describe('planConsoleAccess: records and unreadable tags', () => {
  it('records, in one change per user, the date a first notice tells and the first night seen without MFA', () => {
    const rows = [
      consoleRow({ user: 'uma', setDaysAgo: 300, usedDaysAgo: 100 }),
      consoleRow({ user: 'mia', setDaysAgo: 300, usedDaysAgo: 1 }),
      consoleRow({ user: 'seen', setDaysAgo: 300, usedDaysAgo: 1 }),
    ];
    const tags = new Map<string, Record<string, string>>([
      ['uma', {}],
      ['mia', {}],
      ['seen', { [NO_MFA_TAG]: noMfaValue({ since: daysAgo(9) }) }],
    ]);
    const plan = planConsoleAccess({ rows, tags, settings: SETTINGS, now: NOW });

    expect(plan.records).toEqual([
      {
        userName: 'uma',
        set: {
          [PASSWORD_REMOVE_ON_TAG]: expect.stringMatching(/^2026-11-30T00:00:00\.000Z for /),
          [NO_MFA_TAG]: noMfaValue({ since: NOW }),
        },
        reason: 'record the removal date told on first notice; record the first night seen without MFA',
      },
      {
        userName: 'mia',
        set: { [NO_MFA_TAG]: noMfaValue({ since: NOW }) },
        reason: 'record the first night seen without MFA',
      },
    ]);
    expect(plan.budget).toMatchObject({ due: 0, remaining: 1, clearsOn: '2026-11-30' });
  });

  it('holds a user whose tags could not be read: no removal, no first notice, no record, no reminder', () => {
    const rows = [
      consoleRow({ user: 'rex', setDaysAgo: 300, usedDaysAgo: 60 }),
      consoleRow({ user: 'uma', setDaysAgo: 300, usedDaysAgo: 100 }),
    ];
    const warned = {
      [PASSWORD_NOTICE_TAG]: passwordNoticeValue({ stage: 1, sentAt: daysAgo(1), removalDate: daysAgo(15) }),
    };
    const plan = planConsoleAccess({
      rows,
      tags: new Map([['rex', warned]]),
      unreadable: new Set(['rex', 'uma']),
      settings: SETTINGS,
      now: NOW,
    });

    expect(plan.passwords.map((decision) => [decision.userName, decision.decision])).toEqual([
      ['rex', 'skip'],
      ['uma', 'skip'],
    ]);
    expect(plan.passwords[1]).not.toHaveProperty('firstNotice');
    expect(plan.passwords[1]?.reason).toMatch(/^its tags could not be read; held: /);
    expect(plan.records).toEqual([]);
    expect(plan.mfa).toEqual([]);
  });
});

describe('selectConsoleUsersForReview', () => {
  it.each([
    { case: 'a console user without MFA', spec: { setDaysAgo: 500, usedDaysAgo: 1 }, selected: true },
    {
      case: 'with MFA, used yesterday',
      spec: { setDaysAgo: 500, usedDaysAgo: 1, mfa: true },
      selected: false,
    },
    {
      case: 'with MFA, 14 days before removal',
      spec: { setDaysAgo: 500, usedDaysAgo: 31, mfa: true },
      selected: true,
    },
    {
      case: 'with MFA, 15 days before removal',
      spec: { setDaysAgo: 500, usedDaysAgo: 30, mfa: true },
      selected: false,
    },
    { case: 'with MFA, overdue', spec: { setDaysAgo: 500, usedDaysAgo: 300, mfa: true }, selected: true },
    { case: 'no console password', spec: { createdDaysAgo: 500 }, selected: false },
  ])('$case: $selected', ({ spec, selected }) => {
    expect(selectConsoleUsersForReview([consoleRow(spec)], SETTINGS, NOW)).toEqual(selected ? ['alice'] : []);
  });

  it('looks as far ahead as the first notice days when they exceed the first warning', () => {
    const rows = [consoleRow({ setDaysAgo: 500, usedDaysAgo: 20, mfa: true })];
    expect(selectConsoleUsersForReview(rows, SETTINGS, NOW)).toEqual([]);
    expect(selectConsoleUsersForReview(rows, { ...SETTINGS, passwordFirstNoticeDays: 30 }, NOW)).toEqual([
      'alice',
    ]);
  });

  it('selects only users without MFA when the password rule is off', () => {
    const rows = [consoleRow({ setDaysAgo: 900, mfa: true })];
    expect(selectConsoleUsersForReview(rows, { ...SETTINGS, passwordUnusedDays: 0 }, NOW)).toEqual([]);
  });
});
