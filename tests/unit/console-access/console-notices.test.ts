import { describe, expect, it } from 'vitest';
import {
  NO_MFA_TAG,
  noMfaValue,
  PASSWORD_NOTICE_TAG,
  passwordNoticeValue,
} from '../../../shared/console-access/console-records.ts';
import { renderConsoleMail } from '../../../shared/console-access/notify/console-mail.ts';
import {
  type ConsoleOwnerNotice,
  planConsoleNotices,
  unsentConsoleNotice,
} from '../../../shared/console-access/notify/console-notices.ts';
import type {
  ConsoleAccessPlan,
  MfaFinding,
  PasswordDecision,
  RemovalResult,
} from '../../../shared/console-access/types.ts';
import { addDays } from '../../../shared/kernel/time.ts';
import { daysAgo, NOW, SETTINGS } from '../../helpers/console-facts.ts';

const RECIPIENTS = { emailTag: 'email', emailDomain: 'example.com' };
const REMOVAL_DATE = addDays(NOW, 5);

const warning = (userName: string, stage: number | undefined): PasswordDecision => ({
  userName,
  decision: 'warn',
  reason: 'console password last used 2026-10-14, limit 45 days unused: removal on 2026-11-28 (in 5 days)',
  lastActivity: daysAgo(40),
  activitySource: 'last sign-in',
  removalDate: REMOVAL_DATE,
  ...(stage === undefined ? {} : { warningStage: stage }),
});
const mfa = (userName: string, reminderDue: boolean, lastReminded?: Date): MfaFinding => ({
  userName,
  withoutMfaSince: daysAgo(30),
  reminderDue,
  ...(lastReminded ? { lastReminded } : {}),
});
const removed = (userName: string): RemovalResult => ({
  decision: { ...warning(userName, undefined), decision: 'remove', reason: 'unused: due since 2026-11-01' },
  outcome: 'done',
  actedAt: NOW,
});

function notices(passwords: PasswordDecision[], findings: MfaFinding[], removals: RemovalResult[] = []) {
  const budget = { limit: 20, due: 0, tonight: 0, waiting: 0, remaining: 0 };
  const plan: ConsoleAccessPlan = {
    now: NOW,
    settings: SETTINGS,
    passwords,
    budget,
    records: [],
    mfa: findings,
    idle: [],
  };
  return planConsoleNotices({ plan, removals, tags: new Map(), recipients: RECIPIENTS, now: NOW });
}

describe('planConsoleNotices', () => {
  it.each([
    { case: 'a warning due', passwords: [warning('a', 7)], findings: [], told: [['a', ['warning']]] },
    { case: 'a warning already sent', passwords: [warning('a', undefined)], findings: [], told: [] },
    {
      case: 'an MFA reminder due',
      passwords: [],
      findings: [mfa('a', true)],
      told: [['a', ['mfa-reminder']]],
    },
    { case: 'an MFA reminder not due', passwords: [], findings: [mfa('a', false, daysAgo(2))], told: [] },
    {
      case: 'a warning and a reminder: one mail',
      passwords: [warning('a', 1)],
      findings: [mfa('a', true)],
      told: [['a', ['warning', 'mfa-reminder']]],
    },
  ])('$case', ({ passwords, findings, told }) => {
    expect(
      notices(passwords, findings).map((notice) => [
        notice.userName,
        notice.notices.map((item) => item.kind),
      ]),
    ).toEqual(told);
  });

  it('tells of a removal, and does not remind a user whose password was just removed', () => {
    const [notice] = notices([], [mfa('a', true)], [removed('a')]);
    expect(notice?.notices.map((item) => item.kind)).toEqual(['removed']);
    expect(notice?.records).toEqual({});
  });

  it('records each warning with its stage, tonight, and the removal date it is for; each reminder with its time', () => {
    const [notice] = notices([warning('a', 7)], [mfa('a', true)]);
    expect(notice?.records).toEqual({
      [PASSWORD_NOTICE_TAG]: passwordNoticeValue({ stage: 7, sentAt: NOW, removalDate: REMOVAL_DATE }),
      [NO_MFA_TAG]: noMfaValue({ since: daysAgo(30), remindedAt: NOW }),
    });
    expect(notice?.recipient).toEqual({ address: 'a@example.com', source: 'domain' });
  });
});

describe('unsentConsoleNotice', () => {
  const [planned] = notices([warning('a', 7)], [mfa('a', true)]) as [ConsoleOwnerNotice];
  it.each([
    { case: 'nothing recorded', tags: {}, left: ['warning', 'mfa-reminder'] },
    {
      case: 'the same warning sent by another run',
      tags: {
        [PASSWORD_NOTICE_TAG]: passwordNoticeValue({ stage: 7, sentAt: NOW, removalDate: REMOVAL_DATE }),
      },
      left: ['mfa-reminder'],
    },
    {
      case: 'a warning for another removal date',
      tags: {
        [PASSWORD_NOTICE_TAG]: passwordNoticeValue({ stage: 1, sentAt: NOW, removalDate: daysAgo(3) }),
      },
      left: ['warning', 'mfa-reminder'],
    },
    {
      case: 'a reminder sent an hour ago by another run',
      tags: {
        [NO_MFA_TAG]: noMfaValue({ since: daysAgo(30), remindedAt: new Date(NOW.getTime() - 3_600_000) }),
      },
      left: ['warning'],
    },
  ])('$case', ({ tags, left }) => {
    const rest = unsentConsoleNotice(planned, tags as Record<string, string>, NOW);
    expect(rest?.notices.map((item) => item.kind)).toEqual(left);
    expect(Object.keys(rest?.records ?? {}).length).toBe(left.length);
  });
});

describe('renderConsoleMail', () => {
  const context = {
    contacts: ['security@example.com'],
    exemptTag: 'key-hygiene:exempt',
    mfaReminderDays: 7,
    passwordUnusedDays: 45,
    now: NOW,
  };

  it('says when the password goes, and how to keep it', () => {
    const [notice] = notices([warning('a', 7)], []) as [ConsoleOwnerNotice];
    const mail = renderConsoleMail(notice, 'a@example.com', context);
    expect(mail.subject).toBe('Action needed: your AWS console password will be removed on 2026-11-28');
    expect(mail.text).toContain(
      'You last signed in to the AWS console with your password on 2026-10-14. Console passwords unused for 45 days are removed: yours will be removed on 2026-11-28.',
    );
    expect(mail.text).toContain('sign in to the AWS console once before then');
    expect(mail.text).toContain('Your access keys are not affected');
    expect(mail.html).toContain('5 days left');
  });

  it('says a first notice is the first, and that the password is kept until the date it tells', () => {
    const first: PasswordDecision = { ...warning('a', 7), firstNotice: true };
    const [notice] = notices([first], []) as [ConsoleOwnerNotice];
    expect(notice.notices).toMatchObject([{ kind: 'warning', firstNotice: true, stage: 7 }]);
    const mail = renderConsoleMail(notice, 'a@example.com', context);
    expect(mail.text).toContain(
      'Console passwords unused for 45 days are removed. This is the first notice about yours, so it is kept until 2026-11-28 and removed then, not earlier.',
    );
    const [ordinary] = notices([warning('a', 7)], []) as [ConsoleOwnerNotice];
    expect(renderConsoleMail(ordinary, 'a@example.com', context).text).not.toContain('first notice');
  });

  it('says how to get access back after a removal, most serious news first', () => {
    const [notice] = notices([], [mfa('a', true)], [removed('a')]) as [ConsoleOwnerNotice];
    const withReminder = { ...notice, notices: [...notice.notices].reverse() };
    withReminder.notices.unshift({ kind: 'mfa-reminder', withoutMfaSince: daysAgo(30), first: false });
    const mail = renderConsoleMail(withReminder, 'a@example.com', context);
    expect(mail.subject).toBe('Your AWS console password was removed (and a reminder to set up MFA)');
    expect(mail.text.indexOf('was removed on')).toBeLessThan(mail.text.indexOf('Set up multi-factor'));
    expect(mail.text).toContain(
      'removed on 2026-11-23, after warnings: it had not been used for more than 45 days.',
    );
    expect(mail.text).toContain('aws iam create-login-profile --user-name a');
    expect(mail.text).toContain('ask the security team (security@example.com) for a new console password');
  });

  it('tells how to enroll in MFA, and how often the reminder comes', () => {
    const [notice] = notices([], [mfa('a', true, daysAgo(7))]) as [ConsoleOwnerNotice];
    const mail = renderConsoleMail(notice, 'a@example.com', context);
    expect(mail.subject).toBe('Reminder: set up MFA for your AWS console sign-in');
    expect(mail.text).toContain('Assign MFA device');
    expect(mail.text).toContain('since 2026-10-24, 30 days');
    expect(mail.text).toContain('every 7 days');
  });

  it('names the account in the subject and the text when the run knows it', () => {
    const [notice] = notices([warning('a', 7)], []) as [ConsoleOwnerNotice];
    const account = { accountId: '123456789012', alias: 'payments-prod' };
    const mail = renderConsoleMail(notice, 'a@example.com', { ...context, account });
    expect(mail.subject).toBe(
      'Action needed: your AWS console password will be removed on 2026-11-28 (AWS account 123456789012 (payments-prod))',
    );
    expect(mail.text).toContain('AWS account: 123456789012 (payments-prod)');
    expect(mail.html).toContain('123456789012 (payments-prod)');
  });

  it('escapes what comes from the account in the HTML', () => {
    const [notice] = notices([warning('a', 7)], []) as [ConsoleOwnerNotice];
    const mail = renderConsoleMail({ ...notice, userName: '<b>x</b>' }, 'a@example.com', context);
    expect(mail.html).not.toContain('<b>x</b>');
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
