import { describe, expect, it } from 'vitest';
import {
  PASSWORD_NOTICE_TAG,
  PASSWORD_REMOVE_ON_TAG,
  passwordNoticeValue,
  removeOnValue,
} from '../../../shared/console-access/console-records.ts';
import { passwordActivity } from '../../../shared/console-access/plan/password-activity.ts';
import { planPassword } from '../../../shared/console-access/plan/plan-passwords.ts';
import { addDays } from '../../../shared/kernel/time.ts';
import { consoleRow, daysAgo, NOW, SETTINGS } from '../../helpers/console-facts.ts';

const EXEMPT = SETTINGS.exemptTag;
const HOUR = 3_600_000;

/** A warning record for the removal date of a password last used `usedDaysAgo` days before NOW. */
function warned(stage: number, sentDaysAgo: number, usedDaysAgo: number, sentAt?: Date) {
  return {
    [PASSWORD_NOTICE_TAG]: passwordNoticeValue({
      stage,
      sentAt: sentAt ?? daysAgo(sentDaysAgo),
      removalDate: addDays(daysAgo(usedDaysAgo), SETTINGS.passwordUnusedDays),
    }),
  };
}

/** A warning record for a given removal date (a date told on first notice). */
function warnedFor(stage: number, sentDaysAgo: number, removalDate: Date) {
  return { [PASSWORD_NOTICE_TAG]: passwordNoticeValue({ stage, sentAt: daysAgo(sentDaysAgo), removalDate }) };
}

/** The record of a removal date told on first notice, for the due date of a password last used `usedDaysAgo` days ago. */
function toldOn(toldDate: Date, usedDaysAgo: number) {
  return {
    [PASSWORD_REMOVE_ON_TAG]: removeOnValue({
      toldDate,
      dueDate: addDays(daysAgo(usedDaysAgo), SETTINGS.passwordUnusedDays),
    }),
  };
}

describe('passwordActivity: what the unused period counts from', () => {
  it.each([
    {
      case: 'a sign-in after the password was set',
      spec: { setDaysAgo: 100, usedDaysAgo: 10 },
      source: 'last sign-in',
      days: 10,
    },
    {
      case: 'never used (no_information): from when it was set',
      spec: { setDaysAgo: 30 },
      source: 'password set, never used',
      days: 30,
    },
    {
      case: 'set again after its last use: from the new setting',
      spec: { setDaysAgo: 5, usedDaysAgo: 50 },
      source: 'password set, never used',
      days: 5,
    },
    {
      case: 'no date but the creation (password_last_changed N/A)',
      spec: { setDaysAgo: 1, createdDaysAgo: 70, cells: { password_last_changed: 'N/A' } },
      source: 'user created, never used',
      days: 70,
    },
  ])('$case', ({ spec, source, days }) => {
    const activity = passwordActivity(consoleRow(spec));
    expect(activity?.source).toBe(source);
    expect(activity?.lastActivity).toEqual(daysAgo(days));
  });

  it('gives nothing to count from when the report has no date at all', () => {
    const row = consoleRow({
      setDaysAgo: 1,
      cells: { password_last_changed: 'N/A', user_creation_time: 'N/A' },
    });
    expect(passwordActivity(row)).toBeUndefined();
  });
});

describe('planPassword: decisions', () => {
  it.each([
    {
      case: 'used 10 days ago',
      spec: { setDaysAgo: 200, usedDaysAgo: 10 },
      tags: {},
      decision: 'none',
      stage: undefined,
    },
    {
      case: 'unused 30 days: 15 days left, before the first warning',
      spec: { setDaysAgo: 200, usedDaysAgo: 30 },
      tags: {},
      decision: 'none',
      stage: undefined,
    },
    {
      case: 'unused 31 days: 14 days left',
      spec: { setDaysAgo: 200, usedDaysAgo: 31 },
      tags: {},
      decision: 'warn',
      stage: 14,
    },
    {
      case: 'unused 38 days, never warned: a missed night sends the most urgent warning',
      spec: { setDaysAgo: 200, usedDaysAgo: 38 },
      tags: {},
      decision: 'warn',
      stage: 7,
    },
    {
      case: 'unused 38 days, warned at 14',
      spec: { setDaysAgo: 200, usedDaysAgo: 38 },
      tags: warned(14, 7, 38),
      decision: 'warn',
      stage: 7,
    },
    {
      case: 'unused 40 days, warned at 7 already',
      spec: { setDaysAgo: 200, usedDaysAgo: 40 },
      tags: warned(7, 2, 40),
      decision: 'warn',
      stage: undefined,
    },
    {
      case: 'unused 44 days: 1 day left',
      spec: { setDaysAgo: 200, usedDaysAgo: 44 },
      tags: warned(7, 6, 44),
      decision: 'warn',
      stage: 1,
    },
    {
      case: 'overdue and first found: a first notice, not a removal',
      spec: { setDaysAgo: 300, usedDaysAgo: 100 },
      tags: {},
      decision: 'warn',
      stage: undefined,
      firstNotice: true,
    },
    {
      case: 'overdue, warned last night for this date',
      spec: { setDaysAgo: 300, usedDaysAgo: 46 },
      tags: warned(1, 1, 46),
      decision: 'remove',
      stage: undefined,
    },
    {
      case: 'overdue, warned 14 days ago for this date (later notices failed)',
      spec: { setDaysAgo: 300, usedDaysAgo: 60 },
      tags: warned(14, 14, 60),
      decision: 'remove',
      stage: undefined,
    },
    {
      case: 'overdue, warned earlier tonight (a rerun): not yet',
      spec: { setDaysAgo: 300, usedDaysAgo: 100 },
      tags: warned(1, 0, 100, new Date(NOW.getTime() - 2 * HOUR)),
      decision: 'warn',
      stage: undefined,
    },
    {
      case: 'overdue, warned for another removal date (signed in since): a first notice afresh',
      spec: { setDaysAgo: 300, usedDaysAgo: 50 },
      tags: warned(1, 10, 60),
      decision: 'warn',
      stage: undefined,
      firstNotice: true,
    },
    {
      case: 'onboarded 31 days ago, never signed in: 14 days left',
      spec: { setDaysAgo: 31 },
      tags: {},
      decision: 'warn',
      stage: 14,
    },
    {
      case: 'onboarded 40 days ago, never signed in nor warned: 5 days left, a first notice',
      spec: { setDaysAgo: 40 },
      tags: {},
      decision: 'warn',
      stage: undefined,
      firstNotice: true,
    },
    {
      case: 'onboarded 40 days ago, warned at 14',
      spec: { setDaysAgo: 40 },
      tags: warned(14, 9, 40),
      decision: 'warn',
      stage: 7,
    },
    {
      case: 'onboarded 3 days ago, never signed in',
      spec: { setDaysAgo: 3 },
      tags: {},
      decision: 'none',
      stage: undefined,
    },
    {
      case: 'onboarded 50 days ago, never signed in, warned yesterday',
      spec: { setDaysAgo: 50 },
      tags: warned(1, 1, 50),
      decision: 'remove',
      stage: undefined,
    },
    {
      case: 'a record that cannot be read counts as none: a first notice',
      spec: { setDaysAgo: 300, usedDaysAgo: 60 },
      tags: { [PASSWORD_NOTICE_TAG]: 'warning-soon' },
      decision: 'warn',
      stage: undefined,
      firstNotice: true,
    },
    {
      case: 'overdue, told on first notice of a date 3 days ahead, warned then',
      spec: { setDaysAgo: 300, usedDaysAgo: 50 },
      tags: { ...toldOn(addDays(NOW, 3), 50), ...warnedFor(7, 4, addDays(NOW, 3)) },
      decision: 'warn',
      stage: undefined,
    },
    {
      case: 'overdue, told on first notice of a date 1 day ahead: the 1-day warning',
      spec: { setDaysAgo: 300, usedDaysAgo: 50 },
      tags: { ...toldOn(addDays(NOW, 1), 50), ...warnedFor(7, 6, addDays(NOW, 1)) },
      decision: 'warn',
      stage: 1,
    },
    {
      case: 'overdue, the date told on first notice has come',
      spec: { setDaysAgo: 300, usedDaysAgo: 50 },
      tags: toldOn(daysAgo(0.1), 50),
      decision: 'remove',
      stage: undefined,
    },
    {
      case: 'told on first notice, mail never sent: removed on the told date all the same',
      spec: { setDaysAgo: 300, usedDaysAgo: 60 },
      tags: toldOn(daysAgo(1), 60),
      decision: 'remove',
      stage: undefined,
    },
    {
      case: 'told a date for another due date (signed in since): void, a first notice afresh',
      spec: { setDaysAgo: 300, usedDaysAgo: 50 },
      tags: toldOn(daysAgo(1), 70),
      decision: 'warn',
      stage: undefined,
      firstNotice: true,
    },
    {
      case: 'a told date earlier than its due date was not written by the service: void',
      spec: { setDaysAgo: 300, usedDaysAgo: 50 },
      tags: {
        [PASSWORD_REMOVE_ON_TAG]: removeOnValue({
          toldDate: daysAgo(30),
          dueDate: addDays(daysAgo(50), SETTINGS.passwordUnusedDays),
        }),
      },
      decision: 'warn',
      stage: undefined,
      firstNotice: true,
    },
  ])('$case: $decision', ({ spec, tags, decision, stage, ...rest }) => {
    const result = planPassword(consoleRow(spec), tags, SETTINGS, NOW);
    expect(result.decision).toBe(decision);
    expect(result.warningStage).toBe(stage);
    expect(result.firstNotice).toBe('firstNotice' in rest ? true : undefined);
  });

  it.each([
    { firstNoticeDays: 7, usedDaysAgo: 39, firstNotice: true, stage: undefined },
    { firstNoticeDays: 7, usedDaysAgo: 37, firstNotice: undefined, stage: 14 },
    { firstNoticeDays: 1, usedDaysAgo: 40, firstNotice: undefined, stage: 7 },
    { firstNoticeDays: 1, usedDaysAgo: 100, firstNotice: true, stage: undefined },
    { firstNoticeDays: 30, usedDaysAgo: 20, firstNotice: true, stage: undefined },
  ])(
    'never warned, $usedDaysAgo days unused, first notice days $firstNoticeDays: first notice $firstNotice',
    ({ firstNoticeDays, usedDaysAgo, firstNotice, stage }) => {
      const settings = { ...SETTINGS, passwordFirstNoticeDays: firstNoticeDays };
      const result = planPassword(consoleRow({ setDaysAgo: 300, usedDaysAgo }), {}, settings, NOW);
      expect(result.decision).toBe('warn');
      expect(result.firstNotice).toBe(firstNotice);
      expect(result.warningStage).toBe(stage);
    },
  );

  it('removes on the date told on first notice, later than the due date, and says so', () => {
    const told = addDays(NOW, 4);
    const before = planPassword(
      consoleRow({ setDaysAgo: 300, usedDaysAgo: 50 }),
      toldOn(told, 50),
      SETTINGS,
      NOW,
    );
    expect(before).toMatchObject({ decision: 'warn', removalDate: told, toldDate: told, warningStage: 7 });
    expect(before.reason).toBe(
      'removal on 2026-11-27 (in 4 days), as its owner was told on first notice; console password last used 2026-10-04, limit 45 days unused, due since 2026-11-18',
    );
    const after = planPassword(
      consoleRow({ setDaysAgo: 300, usedDaysAgo: 55 }),
      toldOn(daysAgo(1), 55),
      SETTINGS,
      NOW,
    );
    expect(after).toMatchObject({ decision: 'remove', removalDate: daysAgo(1) });
  });

  it('gives the removal date and the facts it rests on', () => {
    const result = planPassword(
      consoleRow({ setDaysAgo: 200, usedDaysAgo: 40 }),
      warned(14, 9, 40),
      SETTINGS,
      NOW,
    );
    expect(result).toMatchObject({
      userName: 'alice',
      decision: 'warn',
      lastUsed: daysAgo(40),
      lastActivity: daysAgo(40),
      activitySource: 'last sign-in',
      dueDate: addDays(daysAgo(40), 45),
      removalDate: addDays(daysAgo(40), 45),
    });
    expect(result.reason).toBe(
      'console password last used 2026-10-14, limit 45 days unused: removal on 2026-11-28 (in 5 days)',
    );
  });

  it('says the password was never used when it counts from its setting', () => {
    const result = planPassword(consoleRow({ setDaysAgo: 40 }), warned(14, 9, 40), SETTINGS, NOW);
    expect(result.reason).toBe(
      'console password set 2026-10-14 and not used since, limit 45 days: removal on 2026-11-28 (in 5 days)',
    );
    expect(result.lastUsed).toBeUndefined();
  });

  it('decides nothing with the rule off', () => {
    const result = planPassword(
      consoleRow({ setDaysAgo: 900 }),
      {},
      { ...SETTINGS, passwordUnusedDays: 0 },
      NOW,
    );
    expect(result.decision).toBe('none');
  });

  it('holds a password the report gives no date for', () => {
    const row = consoleRow({
      setDaysAgo: 1,
      cells: { password_last_changed: 'N/A', user_creation_time: 'N/A' },
    });
    expect(planPassword(row, {}, SETTINGS, NOW).decision).toBe('skip');
  });
});

describe('planPassword: exemptions', () => {
  const overdue = { setDaysAgo: 300, usedDaysAgo: 46 };
  it.each([
    { case: 'exempt indefinitely', value: 'true', decision: 'exempt' },
    { case: 'exempt until a later day', value: '2026-12-31', decision: 'exempt' },
    { case: 'an exemption that ended', value: '2026-11-01', decision: 'remove' },
    { case: 'false', value: 'false', decision: 'remove' },
    { case: 'an unreadable exempt tag', value: 'soon', decision: 'skip' },
  ])('$case: $decision', ({ value, decision }) => {
    const result = planPassword(consoleRow(overdue), { ...warned(1, 1, 46), [EXEMPT]: value }, SETTINGS, NOW);
    expect(result.decision).toBe(decision);
  });

  it('says what would otherwise happen', () => {
    const result = planPassword(
      consoleRow(overdue),
      { ...warned(1, 1, 46), [EXEMPT]: 'true' },
      SETTINGS,
      NOW,
    );
    expect(result.reason).toMatch(
      /^exempt indefinitely \(tag key-hygiene:exempt=true\); otherwise would remove: /,
    );
  });

  it('tells an exempt owner nothing: no first notice, no date recorded', () => {
    const result = planPassword(
      consoleRow({ setDaysAgo: 300, usedDaysAgo: 100 }),
      { [EXEMPT]: 'true' },
      SETTINGS,
      NOW,
    );
    expect(result.decision).toBe('exempt');
    expect(result.firstNotice).toBeUndefined();
    expect(result.reason).toMatch(/otherwise would warn: .*its owner never warned$/);
  });

  it('leaves a password with nothing due alone, exempt or not', () => {
    const result = planPassword(consoleRow({ setDaysAgo: 5 }), { [EXEMPT]: 'soon' }, SETTINGS, NOW);
    expect(result.decision).toBe('none');
  });
});
