import {
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ConsoleScenario,
  seedConsoleDemoUsers,
  seedConsoleUser,
} from '../../scripts/console-demo-account.ts';
import type { SentEmail } from '../../scripts/emulator/index.ts';
import { seedOnboardingAccount } from '../../scripts/onboarding-account.ts';
import {
  NO_MFA_TAG,
  PASSWORD_NOTICE_TAG,
  PASSWORD_REMOVE_ON_TAG,
} from '../../shared/console-access/index.ts';
import { ConfigError } from '../../shared/kernel/errors.ts';
import { addDays, isoDay, startOfUtcDay } from '../../shared/kernel/time.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { captureAuditEvents } from '../helpers/audit-capture.ts';
import { setClock } from '../helpers/clock.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceConsoleAccessHandler, loadOnboardUserHandler } from '../helpers/lambda.ts';

const { endpoint, control } = useEmulator();
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const MAIL = {
  SENDER_EMAIL: 'key-hygiene@example.com',
  SECURITY_TEAM_EMAILS: 'security-team@example.com',
  EMAIL_DOMAIN: 'example.com',
};

async function verifySender(): Promise<void> {
  const ses = new SESv2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: MAIL.SENDER_EMAIL }));
}

async function hasPassword(userName: string): Promise<boolean> {
  try {
    await iamClient().send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (error: unknown) {
    if (error instanceof NoSuchEntityException) return false;
    throw error;
  }
}

async function tagsOf(userName: string): Promise<Record<string, string>> {
  const { Tags } = await iamClient().send(new ListUserTagsCommand({ UserName: userName }));
  return Object.fromEntries((Tags ?? []).map((tag) => [tag.Key, tag.Value]));
}

const text = (mail: SentEmail) =>
  mail.kind === 'raw' ? mail.rawData.replace(/=\r?\n/g, '').replace(/\r?\n[ \t]+/g, ' ') : mail.body;
const to = (mails: SentEmail[], address: string) =>
  mails.filter((mail) =>
    (mail.kind === 'raw' ? mail.destinations : (mail.destinations.ToAddresses ?? [])).includes(address),
  );
const address = (users: Record<ConsoleScenario, { userName: string }>, scenario: ConsoleScenario) =>
  `${users[scenario].userName}@example.com`;

describe('enforceConsoleAccess against the emulated account', () => {
  it('removes a password warned on an earlier night, warns the rest, and gives a password first found overdue a first notice a week out', async () => {
    await verifySender();
    const now = new Date();
    const users = await seedConsoleDemoUsers(iamClient(), control, now);
    const summary = await (await loadEnforceConsoleAccessHandler(MAIL))({});

    expect(await hasPassword(users.warnedYesterday.userName)).toBe(false);
    expect(await hasPassword(users.unusedFirstFound.userName)).toBe(true);
    expect(await hasPassword(users.onboardedNeverSignedIn.userName)).toBe(true);
    expect(await hasPassword(users.exempt.userName)).toBe(true);
    expect(await hasPassword(users.signsIn.userName)).toBe(true);
    expect(summary.decisions).toEqual({ none: 2, warn: 2, remove: 1, exempt: 1, skip: 0 });
    expect(summary.passwords.find((row) => row.userName === users.warnedYesterday.userName)).toMatchObject({
      decision: 'remove',
      outcome: 'done',
      activitySource: 'last sign-in',
    });
    // The onboarded user never signed in: counted from when the password was set; due in 5 days and never
    // warned, so told a date a week out.
    const told = startOfUtcDay(addDays(now, 7));
    expect(
      summary.passwords.find((row) => row.userName === users.onboardedNeverSignedIn.userName),
    ).toMatchObject({
      decision: 'warn',
      activitySource: 'password set, never used',
      firstNotice: true,
      toldDate: told,
      warningStage: 7,
    });
    expect(summary.passwords.find((row) => row.userName === users.unusedFirstFound.userName)).toMatchObject({
      decision: 'warn',
      firstNotice: true,
      toldDate: told,
    });
    // The date told is recorded the same night.
    expect((await tagsOf(users.unusedFirstFound.userName))[PASSWORD_REMOVE_ON_TAG]).toMatch(
      new RegExp(`^${told.toISOString().replace(/\./g, '\\.')} for `),
    );
    expect(summary.idle.map((user) => user.userName)).toEqual([users.idle.userName]);
    expect(summary.mfa.map((finding) => finding.userName).sort()).toEqual(
      [users.noMfa.userName, users.onboardedNeverSignedIn.userName].sort(),
    );

    const mails = await control.sentEmails();
    const [removed] = to(mails, address(users, 'warnedYesterday')).map(text);
    expect(removed).toContain('Subject: Your AWS console password was removed');
    expect(removed).toContain('To get console access back');
    expect(removed).toContain(`aws iam create-login-profile --user-name ${users.warnedYesterday.userName}`);
    const [otto] = to(mails, address(users, 'onboardedNeverSignedIn')).map(text);
    expect(otto).toContain(`will be removed on ${isoDay(told)}`);
    expect(otto).toContain('This is the first notice about yours');
    expect(otto).toContain('Assign MFA device');
    expect(to(mails, address(users, 'signsIn'))).toEqual([]);
    expect(to(mails, address(users, 'exempt'))).toEqual([]);
    const [digest] = to(mails, MAIL.SECURITY_TEAM_EMAILS).map(text);
    expect(digest).toContain('Console passwords removed');
    expect(digest).toContain('Idle users: candidates for removal');
    expect(digest).toContain(users.idle.userName);
    expect(digest).toContain('Console users without MFA (2)');
    expect(digest).toContain('first notice [mailed to otto.onboarded@example.com]');

    // The next night: the password first found overdue is kept until the date its owner was told.
    setClock(addDays(now, 1));
    const next = await (await loadEnforceConsoleAccessHandler(MAIL))({});
    expect(await hasPassword(users.unusedFirstFound.userName)).toBe(true);
    expect(next.passwords.find((row) => row.userName === users.unusedFirstFound.userName)).toMatchObject({
      decision: 'warn',
      toldDate: told,
    });
    // The first night after the date told: removed.
    setClock(addDays(told, 1 / 8));
    const after = await (await loadEnforceConsoleAccessHandler(MAIL))({});
    expect(await hasPassword(users.unusedFirstFound.userName)).toBe(false);
    expect(after.passwords.find((row) => row.userName === users.unusedFirstFound.userName)).toMatchObject({
      decision: 'remove',
      outcome: 'done',
    });
    expect(await tagsOf(users.unusedFirstFound.userName)).not.toHaveProperty(PASSWORD_REMOVE_ON_TAG);
    expect(await hasPassword(users.exempt.userName)).toBe(true);
  });

  it('changes and mails nothing more when run again the same night', async () => {
    await verifySender();
    await seedConsoleDemoUsers(iamClient(), control, new Date());
    await (await loadEnforceConsoleAccessHandler(MAIL))({});
    const before = await snapshotAccount(iamClient());
    const mailsBefore = (await control.sentEmails()).length;

    const again = await (await loadEnforceConsoleAccessHandler(MAIL))({});

    expect(await snapshotAccount(iamClient())).toEqual(before);
    const owners = (await control.sentEmails()).length - mailsBefore;
    expect(owners).toBe(1); // the digest alone
    expect(again.passwords.filter((row) => row.outcome === 'done')).toEqual([]);
  });

  it('reminds a user without MFA right away, not the next night, and again after a week', async () => {
    await verifySender();
    const now = new Date();
    const users = await seedConsoleDemoUsers(iamClient(), control, now);
    const reminders = async () => to(await control.sentEmails(), address(users, 'noMfa')).length;

    await (await loadEnforceConsoleAccessHandler(MAIL))({});
    const firstNightEnded = new Date();
    expect(await reminders()).toBe(1);
    expect((await tagsOf(users.noMfa.userName))[NO_MFA_TAG]).toMatch(/^since \S+ reminded \S+$/);
    setClock(addDays(now, 1));
    await (await loadEnforceConsoleAccessHandler(MAIL))({});
    expect(await reminders()).toBe(1);
    setClock(addDays(now, 7));
    const week = await (await loadEnforceConsoleAccessHandler(MAIL))({});
    expect(await reminders()).toBe(2);
    // The digest says how long: since the first night the service saw the user without MFA.
    const since = week.mfa.find((finding) => finding.userName === users.noMfa.userName)?.withoutMfaSince;
    expect(since?.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(since?.getTime()).toBeLessThanOrEqual(firstNightEnded.getTime());
  });

  it('keeps a password signed in with after its warning: the sign-in voids the warning', async () => {
    await verifySender();
    const now = new Date();
    const users = await seedConsoleDemoUsers(iamClient(), control, now);
    // Warned last night for the removal date of a sign-in 60 days ago; the owner has signed in since.
    await control.backdateLoginProfile({
      userName: users.warnedYesterday.userName,
      passwordSetAt: addDays(now, -300),
      lastUsed: addDays(now, -1),
    });

    const summary = await (await loadEnforceConsoleAccessHandler(MAIL))({});

    expect(await hasPassword(users.warnedYesterday.userName)).toBe(true);
    expect(summary.passwords.map((row) => row.userName)).not.toContain(users.warnedYesterday.userName);
    expect(to(await control.sentEmails(), address(users, 'warnedYesterday'))).toEqual([]);
  });

  it('reports the same decisions and changes nothing, mails no owner, in a dry run', async () => {
    await verifySender();
    const users = await seedConsoleDemoUsers(iamClient(), control, new Date());
    const before = await snapshotAccount(iamClient());

    const summary = await (await loadEnforceConsoleAccessHandler({ ...MAIL, DRY_RUN: 'true' }))({});

    expect(summary.decisions).toMatchObject({ warn: 2, remove: 1 });
    expect(summary.passwords.find((row) => row.decision === 'remove')?.outcome).toBe('dry-run');
    expect(await hasPassword(users.warnedYesterday.userName)).toBe(true);
    expect(await snapshotAccount(iamClient())).toEqual(before);
    const mails = await control.sentEmails();
    expect(mails).toHaveLength(1);
    expect(text(mails[0] as SentEmail)).toContain('DRY RUN: Console access');
  });

  it('acts on none, records nothing and mails no owner on a night that looks wrong: every password at once', async () => {
    await verifySender();
    const now = new Date();
    for (let index = 0; index < 6; index += 1) {
      await seedConsoleUser(iamClient(), control, now, {
        userName: `wrong-${index}`,
        shows: '',
        passwordSetDaysAgo: 400,
        lastSignInDaysAgo: 100,
        mfa: true,
      });
    }
    const before = await snapshotAccount(iamClient());

    const summary = await (
      await loadEnforceConsoleAccessHandler({ ...MAIL, PASSWORD_REMOVALS_PER_NIGHT: '5' })
    )({});

    expect(summary.guard).toMatchObject({ tripped: true, passwordsNeedingAction: 6, passwordsInAccount: 6 });
    expect(summary.guard.reason).toContain('PASSWORD_REMOVALS_PER_NIGHT');
    expect(await snapshotAccount(iamClient())).toEqual(before);
    const mails = await control.sentEmails();
    expect(mails).toHaveLength(1);
    expect(to(mails, MAIL.SECURITY_TEAM_EMAILS)).toHaveLength(1);
    const digest = text(mails[0] as SentEmail);
    expect(digest).toContain('GUARD TRIPPED');
    expect(digest).not.toContain('MAX_ACTIONS_PER_RUN');
  });

  it('works a first deployment off: every owner told first, then at most the limit a night, the most overdue first', {
    timeout: 300_000,
  }, async () => {
    await verifySender();
    const tonight = new Date(`${isoDay(new Date())}T03:15:00.000Z`);
    setClock(tonight);
    // Five passwords unused 60 to 100 days, never warned; the limit is 2 a night.
    for (let index = 0; index < 5; index += 1) {
      await seedConsoleUser(iamClient(), control, tonight, {
        userName: `backlog-${index}`,
        shows: '',
        passwordSetDaysAgo: 400,
        lastSignInDaysAgo: 60 + 10 * index,
        mfa: true,
      });
    }
    await seedConsoleUser(iamClient(), control, tonight, {
      userName: 'in-use',
      shows: '',
      passwordSetDaysAgo: 400,
      lastSignInDaysAgo: 1,
      mfa: true,
    });
    const settings = { ...MAIL, PASSWORD_REMOVALS_PER_NIGHT: '2', PASSWORD_FIRST_NOTICE_DAYS: '3' };
    const night = async (k: number) => {
      setClock(addDays(tonight, k));
      return (await loadEnforceConsoleAccessHandler(settings))({});
    };
    const removedOn = new Map<string, number>();
    const stillThere = async () => {
      const left: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        if (await hasPassword(`backlog-${index}`)) left.push(`backlog-${index}`);
      }
      return left;
    };

    const first = await night(0);
    expect(first.counts).toMatchObject({ removed: 0, warned: 5, firstNotices: 5 });
    // Told a limit's worth a date, the most overdue the earliest: nights 3, 3, 4, 4, 5.
    expect(first.passwords.map((row) => [row.userName, row.toldDate && isoDay(row.toldDate)]).sort()).toEqual(
      [
        ['backlog-0', isoDay(addDays(tonight, 5))],
        ['backlog-1', isoDay(addDays(tonight, 4))],
        ['backlog-2', isoDay(addDays(tonight, 4))],
        ['backlog-3', isoDay(addDays(tonight, 3))],
        ['backlog-4', isoDay(addDays(tonight, 3))],
      ],
    );
    expect(first.budget).toMatchObject({ due: 0, remaining: 5, clearsOn: isoDay(addDays(tonight, 5)) });
    const firstMails = await control.sentEmails();
    expect(to(firstMails, 'backlog-0@example.com').map(text)[0]).toContain(
      'This is the first notice about yours',
    );

    for (let k = 1; k <= 5; k += 1) {
      const summary = await night(k);
      expect(summary.counts.removed).toBeLessThanOrEqual(2);
      for (const row of summary.passwords.filter((entry) => entry.outcome === 'done')) {
        removedOn.set(row.userName, k);
      }
    }
    expect(await stillThere()).toEqual([]);
    // Each on the first night on or after the date its owner was told, two a night.
    expect(Object.fromEntries(removedOn)).toEqual({
      'backlog-4': 3,
      'backlog-3': 3,
      'backlog-2': 4,
      'backlog-1': 4,
      'backlog-0': 5,
    });
    expect(await hasPassword('in-use')).toBe(true);
  });

  it('publishes each removal and the run summary to the audit bus', async () => {
    const users = await seedConsoleDemoUsers(iamClient(), control, new Date());
    const capture = await captureAuditEvents(endpoint);

    const summary = await (await loadEnforceConsoleAccessHandler({ EVENT_BUS_NAME: 'security-audit' }))({});

    expect(summary.audit).toEqual({ published: 2, failed: [] });
    const { events } = await capture.received(2);
    const removed = events.find((event) => event['detail-type'] === 'ConsolePasswordRemoved');
    expect(removed?.detail).toMatchObject({
      userName: users.warnedYesterday.userName,
      activitySource: 'last sign-in',
    });
    expect(events.map((event) => event['detail-type']).sort()).toEqual([
      'ConsoleAccessRunCompleted',
      'ConsolePasswordRemoved',
    ]);
  });

  it.each([
    [
      'PASSWORD_UNUSED_DAYS',
      'forty',
      'PASSWORD_UNUSED_DAYS: must be a whole number from 0 to 3650 (got "forty")',
    ],
    ['MFA_REMINDER_DAYS', '1', 'MFA_REMINDER_DAYS: must be 0 (no reminders) or at least 7'],
    ['PASSWORD_FIRST_NOTICE_DAYS', '0', 'PASSWORD_FIRST_NOTICE_DAYS: must be at least 1 (got "0")'],
    [
      'PASSWORD_REMOVALS_PER_NIGHT',
      '-1',
      'PASSWORD_REMOVALS_PER_NIGHT: must be a whole number from 0 to 5000',
    ],
    ['MAX_ACTIONS_PER_RUN', '50', 'MAX_ACTIONS_PER_RUN: is retired: set PASSWORD_REMOVALS_PER_NIGHT instead'],
    [
      'KEY_HYGIENE_NOW',
      '2026-12-24',
      'KEY_HYGIENE_NOW (2026-12-24T00:00:00.000Z) is allowed only with DRY_RUN=true',
    ],
    ['USER_IDLE_DAYS', '-5', 'USER_IDLE_DAYS: must be a whole number from 0 to 3650 (got "-5")'],
    [
      'PASSWORD_WARNING_NOTICE_DAYS',
      '60,7',
      'PASSWORD_WARNING_NOTICE_DAYS (60,7) must each be at least 1 and less than PASSWORD_UNUSED_DAYS (45)',
    ],
  ])('refuses %s=%s at start, naming the variable, and changes nothing', async (variable, value, message) => {
    await seedConsoleDemoUsers(iamClient(), control, new Date());
    const before = await snapshotAccount(iamClient());

    await expect(loadEnforceConsoleAccessHandler({ [variable]: value })).rejects.toMatchObject({
      name: ConfigError.name,
      message: expect.stringContaining(message),
    });
    expect(await snapshotAccount(iamClient())).toEqual(before);
    expect(await hasPassword('rex.console-warned')).toBe(true);
  });

  it('turns the unused-password rule off with PASSWORD_UNUSED_DAYS=0, and still lists MFA and idle users', async () => {
    const users = await seedConsoleDemoUsers(iamClient(), control, new Date());
    const summary = await (await loadEnforceConsoleAccessHandler({ PASSWORD_UNUSED_DAYS: '0' }))({});

    expect(await hasPassword(users.warnedYesterday.userName)).toBe(true);
    expect(summary.passwords).toEqual([]);
    expect(summary.mfa).toHaveLength(2);
    expect(summary.idle).toHaveLength(1);
  });

  it('warns a user onboarded but never signed in, then removes the password after the warnings', async () => {
    await verifySender();
    const now = new Date();
    await seedConsoleUser(iamClient(), control, now, {
      userName: 'nora.new',
      shows: '',
      passwordSetDaysAgo: 30,
    });
    const night = async (days: number) => {
      setClock(addDays(now, days));
      return (await loadEnforceConsoleAccessHandler(MAIL))({});
    };
    const warnings = async () => to(await control.sentEmails(), 'nora.new@example.com').map(text);

    await night(1); // 14 days left
    await night(3); // 12 days left: nothing new
    await night(9); // 6 days left: the 7-day warning
    await night(14); // 1 day left
    const told = (await warnings()).map((mail) => /(\d+) days? left/.exec(mail)?.[1]);
    expect(told).toEqual(['14', '6', '1']);
    expect(await hasPassword('nora.new')).toBe(true);
    const removal = await night(16);
    expect(removal.passwords[0]).toMatchObject({ userName: 'nora.new', decision: 'remove', outcome: 'done' });
    expect(await hasPassword('nora.new')).toBe(false);
    expect(await tagsOf('nora.new')).not.toHaveProperty(PASSWORD_NOTICE_TAG);
    vi.useRealTimers();
  });

  it('judges a user onboarded by onboardUser, never signed in, from the onboarding: warned, then closed', async () => {
    const account = {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    const seeded = await seedOnboardingAccount(account, control);
    const onboard = await loadOnboardUserHandler({
      SELF_SERVICE_POLICY_ARN: seeded.selfServicePolicyArn,
      SENDER_EMAIL: seeded.sender,
      ALLOWED_GROUPS: 'developers',
    });
    const onboardedAt = new Date();
    await onboard({ userName: 'jane.doe', email: 'jane.doe@example.com' });
    const night = async (days: number) => {
      setClock(addDays(onboardedAt, days));
      return (await loadEnforceConsoleAccessHandler(MAIL))({});
    };

    const early = await night(10);
    expect(early.passwords).toEqual([]);
    const warned = await night(32);
    expect(warned.passwords).toMatchObject([
      {
        userName: 'jane.doe',
        decision: 'warn',
        activitySource: 'password set, never used',
        warningStage: 14,
      },
    ]);
    expect(warned.notifications.owners).toMatchObject([
      { userName: 'jane.doe', address: 'jane.doe@example.com', status: 'sent' },
    ]);
    const closed = await night(47);
    expect(closed.passwords).toMatchObject([{ userName: 'jane.doe', decision: 'remove', outcome: 'done' }]);
    expect(await hasPassword('jane.doe')).toBe(false);
  });

  it('skips a removal when the owner signs in between the report and the removal (live re-check)', async () => {
    const now = new Date();
    const users = await seedConsoleDemoUsers(iamClient(), control, now);
    const userName = users.warnedYesterday.userName;
    // The owner signs in just as the run reaches the user: after the report, before the live GetUser.
    const original = IAMClient.prototype.send;
    vi.spyOn(IAMClient.prototype, 'send').mockImplementation(async function (
      this: IAMClient,
      ...args: unknown[]
    ) {
      const [command] = args;
      if (command instanceof GetUserCommand && command.input.UserName === userName) {
        await control.backdateLoginProfile({
          userName,
          passwordSetAt: addDays(now, -300),
          lastUsed: new Date(),
        });
      }
      return (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } as IAMClient['send']);

    const summary = await (await loadEnforceConsoleAccessHandler())({});

    const row = summary.passwords.find((entry) => entry.userName === userName);
    expect(row).toMatchObject({ decision: 'remove', outcome: 'skipped' });
    expect(row?.detail).toMatch(/^signed in on \S+, after the credential report was made/);
    expect(await hasPassword(userName)).toBe(true);
  });
});
