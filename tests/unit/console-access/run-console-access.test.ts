import { describe, expect, it } from 'vitest';
import {
  NO_MFA_TAG,
  PASSWORD_NOTICE_TAG,
  PASSWORD_REMOVE_ON_TAG,
  passwordNoticeValue,
  removeOnValue,
} from '../../../shared/console-access/console-records.ts';
import { runConsoleAccess } from '../../../shared/console-access/run-console-access.ts';
import type { CredentialReportRow } from '../../../shared/credential-report/types.ts';
import { addDays } from '../../../shared/kernel/time.ts';
import { consoleRow, daysAgo, NOW, SETTINGS } from '../../helpers/console-facts.ts';
import { FakeConsoleAccount } from '../../helpers/fake-console-account.ts';
import { FakeMailer } from '../../helpers/fake-mailer.ts';

const TEAM = 'security@example.com';
const silent = { info: () => undefined, warn: () => undefined };

async function run(
  rows: CredentialReportRow[],
  account: FakeConsoleAccount,
  mailer = new FakeMailer(),
  dryRun = false,
  settings = SETTINGS,
) {
  const audit: string[] = [];
  const summary = await runConsoleAccess(
    {
      fetchReport: async () => ({ generatedAt: NOW, rows, unreadableRows: [] }),
      account,
      publishAudit: async (events) => {
        audit.push(...events.map((event) => event.detailType));
        return { published: events.length, failed: [] };
      },
      log: silent,
      actionTime: () => NOW,
      mailer,
      notification: { securityTeam: [TEAM], recipients: { emailTag: 'email', emailDomain: 'example.com' } },
    },
    { settings, dryRun, now: NOW },
  );
  return { summary, mailer, audit };
}

const warnedYesterday = (usedDaysAgo: number) => ({
  [PASSWORD_NOTICE_TAG]: passwordNoticeValue({
    stage: 1,
    sentAt: daysAgo(1),
    removalDate: addDays(daysAgo(usedDaysAgo), SETTINGS.passwordUnusedDays),
  }),
});

describe('runConsoleAccess', () => {
  it('removes, tells the owner how to get access back, tells the team, and audits the removal', async () => {
    const account = new FakeConsoleAccount().add('alice', {
      tags: warnedYesterday(60),
      passwordLastUsed: daysAgo(60),
    });
    const { summary, mailer, audit } = await run(
      [consoleRow({ setDaysAgo: 300, usedDaysAgo: 60, mfa: true })],
      account,
    );

    expect(summary.passwords).toMatchObject([{ userName: 'alice', decision: 'remove', outcome: 'done' }]);
    expect(mailer.to('alice@example.com')[0]?.subject).toBe('Your AWS console password was removed');
    expect(mailer.to(TEAM)[0]?.subject).toBe(
      '[key-hygiene] Console access 2026-11-23: 1 removed, 0 warned, 0 without MFA, 0 idle',
    );
    expect(summary.counts).toMatchObject({ removed: 1, warned: 0, failures: 0 });
    expect(audit).toEqual(['ConsolePasswordRemoved', 'ConsoleAccessRunCompleted']);
  });

  it('holds a user whose tags cannot be read: an exemption may be among them', async () => {
    const account = new FakeConsoleAccount().add('alice', {
      tags: { 'key-hygiene:exempt': 'true', ...warnedYesterday(60) },
    });
    account.failOn.add('listUserTags alice');
    const { summary } = await run([consoleRow({ setDaysAgo: 300, usedDaysAgo: 60 })], account);

    expect(summary.passwords).toMatchObject([{ userName: 'alice', decision: 'skip', outcome: 'reported' }]);
    expect(summary.passwords[0]?.reason).toMatch(/^its tags could not be read; held: /);
    expect(summary.failures).toMatchObject([{ userName: 'alice', step: 'read tags' }]);
    expect(account.users.get('alice')?.hasPassword).toBe(true);
    expect(summary.mfa).toEqual([]);
  });

  it('records a warning only once its mail is sent, and the date a first notice tells the same night, mail or not', async () => {
    const account = new FakeConsoleAccount().add('alice');
    const mailer = new FakeMailer();
    mailer.failFor.add('alice@example.com');
    const { summary } = await run(
      [consoleRow({ setDaysAgo: 300, usedDaysAgo: 100, mfa: true })],
      account,
      mailer,
    );

    expect(summary.notifications.owners).toMatchObject([
      { userName: 'alice', status: 'failed', told: ['warning'] },
    ]);
    expect(summary.passwords).toMatchObject([
      { userName: 'alice', decision: 'warn', firstNotice: true, toldDate: new Date('2026-11-30T00:00:00Z') },
    ]);
    expect(account.users.get('alice')?.tags).toEqual({
      [PASSWORD_REMOVE_ON_TAG]: removeOnValue({
        toldDate: new Date('2026-11-30T00:00:00Z'),
        dueDate: addDays(daysAgo(100), SETTINGS.passwordUnusedDays),
      }),
    });
    expect(account.users.get('alice')?.hasPassword).toBe(true);
  });

  it('removes, records and mails nothing to owners when every password is due at once (the guard)', async () => {
    const rows = Array.from({ length: 10 }, (_, index) =>
      consoleRow({ user: `u${index}`, setDaysAgo: 300, usedDaysAgo: 100, mfa: true }),
    );
    const account = new FakeConsoleAccount();
    for (const row of rows) account.add(row.user, { tags: warnedYesterday(100) });
    account.add('u9');
    const { summary, mailer, audit } = await run(rows, account, new FakeMailer(), false, {
      ...SETTINGS,
      passwordRemovalsPerNight: 5,
    });

    expect(summary.guard).toMatchObject({
      tripped: true,
      passwordsNeedingAction: 10,
      passwordsInAccount: 10,
    });
    expect(summary.passwords.map((row) => row.outcome)).toEqual([
      ...Array(9).fill('held-by-guard'),
      'reported',
    ]);
    expect(account.calls.filter((call) => !call.startsWith('listUserTags'))).toEqual([]);
    expect(mailer.sent.map((mail) => mail.to)).toEqual([[TEAM]]);
    expect(mailer.sent[0]?.subject).toBe(
      '[key-hygiene] Console access 2026-11-23: GUARD TRIPPED, 9 would be removed, 1 warned, 5 remaining for later nights, 0 without MFA, 0 idle',
    );
    expect(mailer.sent[0]?.text).toContain('Guard tripped: no password was removed.');
    expect(audit).toEqual(['ConsoleAccessRunCompleted']);
  });

  it('works a backlog off within the per-night limit: the rest wait, and the digest says when it clears', async () => {
    const rows = [
      consoleRow({ user: 'a', setDaysAgo: 300, usedDaysAgo: 60, mfa: true }),
      consoleRow({ user: 'b', setDaysAgo: 300, usedDaysAgo: 80, mfa: true }),
      consoleRow({ user: 'c', setDaysAgo: 300, usedDaysAgo: 70, mfa: true }),
      consoleRow({ user: 'fresh', setDaysAgo: 300, usedDaysAgo: 1, mfa: true }),
      consoleRow({ user: 'used', setDaysAgo: 300, usedDaysAgo: 2, mfa: true }),
    ];
    const account = new FakeConsoleAccount()
      .add('a', { tags: warnedYesterday(60) })
      .add('b', { tags: warnedYesterday(80) })
      .add('c', { tags: warnedYesterday(70) })
      .add('fresh')
      .add('used');
    const { summary, mailer } = await run(rows, account, new FakeMailer(), false, {
      ...SETTINGS,
      passwordRemovalsPerNight: 2,
    });

    expect(summary.guard.tripped).toBe(false);
    expect(summary.passwords.map((row) => [row.userName, row.outcome])).toEqual([
      ['a', 'waiting'],
      ['b', 'done'],
      ['c', 'done'],
    ]);
    expect(summary.counts).toMatchObject({ removed: 2, waiting: 1 });
    expect(summary.budget).toEqual({
      limit: 2,
      due: 3,
      tonight: 2,
      waiting: 1,
      remaining: 1,
      clearsOn: '2026-11-24',
    });
    const digest = mailer.to(TEAM)[0];
    expect(digest?.subject).toBe(
      '[key-hygiene] Console access 2026-11-23: 2 removed, 0 warned, 1 remaining for later nights, 0 without MFA, 0 idle',
    );
    expect(digest?.text).toContain(
      "Removals: 3 due tonight, 2 within tonight's limit of 2 (PASSWORD_REMOVALS_PER_NIGHT); 1 remain (1 due and waiting, the most overdue first): at 2 a night the backlog clears on the night of 2026-11-24, unless more fall due.",
    );
    expect(digest?.text).toContain('Waiting for a later night (per-night limit):');
    expect(account.users.get('a')?.hasPassword).toBe(true);
  });

  it('records the first night a user is seen without MFA, even when the reminder cannot be sent', async () => {
    const account = new FakeConsoleAccount().add('bot');
    const mailer = new FakeMailer();
    mailer.failFor.add('bot@example.com');
    const { summary } = await run(
      [consoleRow({ user: 'bot', setDaysAgo: 10, usedDaysAgo: 1 })],
      account,
      mailer,
    );
    expect(account.users.get('bot')?.tags[NO_MFA_TAG]).toBe('since 2026-11-23T03:00:00.000Z');
    expect(summary.mfa).toMatchObject([{ userName: 'bot', reminderDue: true }]);
  });

  it('mails no owner, records nothing and removes nothing in a dry run; the digest says DRY RUN', async () => {
    const account = new FakeConsoleAccount().add('alice', { tags: warnedYesterday(60) });
    const { summary, mailer } = await run(
      [consoleRow({ setDaysAgo: 300, usedDaysAgo: 60 })],
      account,
      new FakeMailer(),
      true,
    );

    expect(summary.passwords[0]?.outcome).toBe('dry-run');
    expect(account.calls.filter((call) => !call.startsWith('listUserTags'))).toEqual([]);
    expect(mailer.sent.map((mail) => mail.to)).toEqual([[TEAM]]);
    expect(mailer.sent[0]?.subject).toMatch(
      /^\[key-hygiene\] DRY RUN: Console access 2026-11-23: 1 would be removed/,
    );
  });
});
