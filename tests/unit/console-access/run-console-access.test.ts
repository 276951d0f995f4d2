import { describe, expect, it } from 'vitest';
import {
  NO_MFA_TAG,
  PASSWORD_NOTICE_TAG,
  passwordNoticeValue,
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
    { settings: SETTINGS, dryRun, maxActionsPerRun: 50, now: NOW },
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
    expect(mailer.to(TEAM)[0]?.subject).toContain('1 password(s) removed');
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

  it('records a warning only once its mail is sent: a failed send is due again, and holds the removal', async () => {
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
    expect(account.users.get('alice')?.tags).not.toHaveProperty(PASSWORD_NOTICE_TAG);
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
    expect(mailer.sent[0]?.subject).toMatch(/^\[DRY RUN\] /);
  });
});
