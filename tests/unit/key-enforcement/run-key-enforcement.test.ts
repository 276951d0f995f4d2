import { describe, expect, it, vi } from 'vitest';
import type { AuditEvent, AuditPublisher } from '../../../shared/audit/publish-audit-events.ts';
import { CredentialReportFormatError } from '../../../shared/credential-report/errors.ts';
import { parseCredentialReport } from '../../../shared/credential-report/parse-report.ts';
import type { CredentialReport } from '../../../shared/credential-report/types.ts';
import { deactivatedTag, deactivatedValue } from '../../../shared/key-enforcement/key-records.ts';
import {
  type KeyEnforcementOptions,
  runKeyEnforcement,
} from '../../../shared/key-enforcement/run-key-enforcement.ts';
import { keyRunMetricValues } from '../../../shared/key-enforcement/run-metrics.ts';
import { formatSummaryTable } from '../../../shared/key-enforcement/summary-table.ts';
import type { LiveAccessKey } from '../../../shared/key-enforcement/types.ts';
import { disabledMailer } from '../../../shared/mail/mailer.ts';
import type { Mailer } from '../../../shared/mail/types.ts';
import { reportCsv, reportTime } from '../../helpers/credential-report-csv.ts';
import { FakeChat } from '../../helpers/fake-chat.ts';
import { FakeIamAccount } from '../../helpers/fake-iam-account.ts';
import { FakeMailer } from '../../helpers/fake-mailer.ts';
import { DEFAULT_SETTINGS, daysAgo, liveKey, NO_NIGHT_LIMITS, NOW } from '../../helpers/key-facts.ts';

/** A report that matches the fake account's keys slot by slot, as AWS would generate it. */
function reportOf(account: FakeIamAccount, userNames: string[], extraRows = 0): CredentialReport {
  const rows = userNames.map((userName) => {
    const cells: Record<string, string> = { user: userName };
    account.keysOf(userName).forEach((key: LiveAccessKey, index) => {
      cells[`access_key_${index + 1}_active`] = key.status === 'Active' ? 'true' : 'false';
      cells[`access_key_${index + 1}_last_rotated`] = reportTime(key.createDate);
    });
    return cells;
  });
  for (let index = 0; index < extraRows; index += 1) {
    rows.push({
      user: `clean-${index}`,
      access_key_1_active: 'true',
      access_key_1_last_rotated: reportTime(daysAgo(index % 70)),
    });
  }
  return { generatedAt: NOW, ...parseCredentialReport(reportCsv(rows)) };
}

function harness(account: FakeIamAccount, userNames: string[], extraRows = 0) {
  const published: AuditEvent[] = [];
  const publishAudit: AuditPublisher = async (events) => {
    published.push(...events);
    return { published: events.length, failed: [] };
  };
  const deps = {
    fetchReport: vi.fn(async () => reportOf(account, userNames, extraRows)),
    account,
    publishAudit,
    log: { info: vi.fn(), warn: vi.fn() },
    actionTime: () => NOW,
    mailer: new FakeMailer(),
    notification: {
      securityTeam: ['security@example.com'],
      recipients: { emailTag: 'email', emailDomain: 'example.com' },
    },
  };
  const options: KeyEnforcementOptions = {
    settings: DEFAULT_SETTINGS,
    dryRun: false,
    limits: NO_NIGHT_LIMITS,
    now: NOW,
  };
  return { deps, options, published };
}

function demoAccount() {
  return new FakeIamAccount()
    .addUser('alice', [liveKey('alice', { ageDays: 10 })])
    .addUser('nina', [liveKey('nina', { ageDays: 80 })])
    .addUser('bob', [liveKey('bob', { ageDays: 120, accessKeyId: 'AKIABOB0000000000001' })])
    .addUser('hank', [liveKey('hank', { ageDays: 200, status: 'Inactive' })])
    .addUser(
      'ivan',
      [liveKey('ivan', { ageDays: 200, status: 'Inactive', accessKeyId: 'AKIAIVAN000000000001' })],
      {
        [deactivatedTag('AKIAIVAN000000000001')]: deactivatedValue(daysAgo(40), true, daysAgo(200)),
      },
    );
}
const DEMO_USERS = ['alice', 'nina', 'bob', 'hank', 'ivan'];
// A KEY_MAX_AGE_DAYS of 5 where 90 was meant: every key of alice, nina, bob and ivan needs action at once.
const EVERY_KEY_AT_ONCE = {
  settings: { ...DEFAULT_SETTINGS, maxAgeDays: 5, warningDays: 1, warningNoticeDays: [1] },
  limits: { deactivations: 1, deletions: 1 },
};
const EVERY_KEY_USERS = ['alice', 'nina', 'bob', 'ivan'];

describe('runKeyEnforcement', () => {
  it('deactivates, deletes, warns and records, and summarises each key with its reason', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const summary = await runKeyEnforcement(deps, options);
    expect(summary.decisions).toEqual({ deactivate: 1, delete: 1, warn: 1, exempt: 0, hold: 0, none: 1 });
    expect(summary.keys.map((k) => [k.userName, k.decision, k.outcome])).toEqual([
      ['bob', 'deactivate', 'done'],
      ['ivan', 'delete', 'done'],
      ['nina', 'warn', 'reported'],
    ]);
    expect(summary.keys[0]).toMatchObject({ accessKeyId: 'AKIABOB0000000000001', ageDays: 120 });
    expect(summary.usersReviewed).toBe(4);
    expect(summary.recordChanges).toEqual([expect.objectContaining({ userName: 'hank', outcome: 'done' })]);
    expect(summary.failures).toEqual([]);
    expect(account.keysOf('bob')[0]?.status).toBe('Inactive');
    expect(account.keysOf('ivan')).toEqual([]);
  });

  it('makes no per-user request on an account where nothing is due, however many users it has', async () => {
    for (const size of [10, 1000]) {
      const account = new FakeIamAccount();
      const { deps, options } = harness(account, [], size);
      const summary = await runKeyEnforcement(deps, options);
      expect(deps.fetchReport).toHaveBeenCalledTimes(1);
      expect(account.calls).toEqual([]);
      expect(summary.usersInReport).toBe(size);
      expect(summary.usersReviewed).toBe(0);
    }
  });

  it('asks IAM only about the users whose keys may need action', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS, 500);
    const summary = await runKeyEnforcement(deps, options);
    // Four users flagged by the report, more than a bulk read takes requests: every user's tags in one;
    // and once more just before mailing the three owners (nina, bob, ivan).
    expect(account.callsOf('userTagsInBulk')).toEqual(['*', '*']);
    expect(account.callsOf('listUserTags')).toEqual([]);
    // Listed live to plan: nina (a warning due), bob (his key named by no record), hank (a grace period
    // to record). ivan's key is named by its deactivation record: only the re-check before its deletion.
    expect(summary.review).toEqual({
      lookedAtLive: 3,
      fromRecords: 1,
      tagsRead: 'in bulk',
      exemptNotLookedAt: [],
      exemptKeysNotLookedAt: 0,
    });
    expect(account.callsOf('listAccessKeys').sort()).toEqual(['bob', 'bob', 'hank', 'ivan', 'nina']);
  });

  it('reads a few flagged users’ tags one by one, and each user’s once', async () => {
    const account = demoAccount();
    // Only ivan is in the report: one user flagged, one request either way.
    const { deps, options } = harness(account, ['ivan']);
    const summary = await runKeyEnforcement(deps, options);
    expect(account.callsOf('userTagsInBulk')).toEqual([]);
    // To plan, and again just before mailing him.
    expect(account.callsOf('listUserTags')).toEqual(['ivan', 'ivan']);
    expect(summary.review).toMatchObject({ lookedAtLive: 0, fromRecords: 1, tagsRead: 'user by user' });
    expect(account.keysOf('ivan')).toEqual([]);
  });

  it('falls back to reading user by user when the bulk read fails, and says so', async () => {
    const account = demoAccount();
    account.failOn('userTagsInBulk', '*');
    const { deps, options } = harness(account, DEMO_USERS, 500);
    const summary = await runKeyEnforcement(deps, options);
    expect(summary.failures).toEqual([
      expect.objectContaining({ step: 'read tags in bulk (users read one by one instead)' }),
    ]);
    const beforeActing = account.calls.slice(
      0,
      account.calls.findIndex((call) => call.method === 'tagUser'),
    );
    const tagsToPlan = beforeActing
      .filter((call) => call.method === 'listUserTags')
      .map((call) => call.target);
    expect(tagsToPlan.sort()).toEqual(['bob', 'hank', 'ivan', 'nina']);
    expect(summary.outcomes.done).toBe(2);
  });

  it('changes nothing more when run again the same night', async () => {
    const account = demoAccount();
    const first = harness(account, DEMO_USERS);
    await runKeyEnforcement(first.deps, first.options);
    account.calls.length = 0;
    const second = harness(account, DEMO_USERS);
    const summary = await runKeyEnforcement(second.deps, second.options);
    expect(account.writes()).toEqual([]);
    // nina was warned last run, bob's and hank's keys are recorded inactive: nobody needs a look.
    expect(account.calls).toEqual([{ method: 'userTagsInBulk', target: '*' }]);
    expect(summary.decisions).toMatchObject({ deactivate: 0, delete: 0, warn: 0 });
  });

  it('plans and reports in a dry run but changes and records nothing', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const summary = await runKeyEnforcement(deps, { ...options, dryRun: true });
    expect(account.writes()).toEqual([]);
    expect(summary.dryRun).toBe(true);
    expect(summary.outcomes).toMatchObject({ 'dry-run': 2, done: 0 });
    expect(summary.recordChanges.map((r) => r.outcome)).toEqual(['dry-run']);
  });

  it('acts on none, reports the plan and ends normally when the guard trips', async () => {
    const account = demoAccount();
    const { deps, options, published } = harness(account, EVERY_KEY_USERS);
    const summary = await runKeyEnforcement(deps, { ...options, ...EVERY_KEY_AT_ONCE });
    expect(account.writes()).toEqual([]);
    expect(summary.guard).toMatchObject({ tripped: true, keysNeedingAction: 4, keysInAccount: 4 });
    expect(summary.guard.reason).toContain('every key at once');
    expect(summary.keys.filter((k) => k.outcome === 'held-by-guard').map((k) => k.userName)).toEqual([
      'alice',
      'bob',
      'nina',
      'ivan',
    ]);
    expect(deps.log.warn).toHaveBeenCalledWith(expect.stringContaining('Guard tripped'), expect.anything());
    expect(published.map((e) => e.detailType)).toEqual(['KeyEnforcementRunCompleted']);
  });

  it('acts on nothing when the report cannot be read', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    deps.fetchReport.mockRejectedValueOnce(new CredentialReportFormatError('bad header'));
    await expect(runKeyEnforcement(deps, options)).rejects.toThrow(CredentialReportFormatError);
    expect(account.calls).toEqual([]);
  });

  it('reports a user whose facts could not be loaded and goes on with the others', async () => {
    for (const method of ['listAccessKeys', 'listUserTags'] as const) {
      const account = demoAccount();
      account.failOn(method, 'nina');
      // With bulk tags failing too, nina's tags are read one by one.
      account.failOn('userTagsInBulk', '*');
      const { deps, options } = harness(account, DEMO_USERS);
      const summary = await runKeyEnforcement(deps, options);
      expect(summary.failures.filter((failure) => failure.userName === 'nina')).toEqual([
        expect.objectContaining({ userName: 'nina', step: 'load keys and tags' }),
      ]);
      expect(summary.outcomes.done).toBe(2);
    }
  });

  it('passes over a user deleted since the report was generated', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const report = reportOf(account, [...DEMO_USERS, 'ghost']);
    const ghostRow = parseCredentialReport(
      reportCsv([
        { user: 'ghost', access_key_1_active: 'true', access_key_1_last_rotated: reportTime(daysAgo(200)) },
      ]),
    ).rows;
    deps.fetchReport.mockResolvedValueOnce({ ...report, rows: [...report.rows, ...ghostRow] });
    const summary = await runKeyEnforcement(deps, options);
    expect(summary.failures).toEqual([]);
    expect(summary.usersReviewed).toBe(4);
  });

  it('publishes one event per change and one for the run', async () => {
    const account = demoAccount();
    const { deps, options, published } = harness(account, DEMO_USERS);
    const summary = await runKeyEnforcement(deps, options);
    expect(published.map((e) => e.detailType)).toEqual([
      'AccessKeyDeactivated',
      'AccessKeyDeleted',
      'KeyEnforcementRunCompleted',
    ]);
    expect(published[0]?.detail).toMatchObject({
      userName: 'bob',
      accessKeyId: 'AKIABOB0000000000001',
      rule: 'max-age',
    });
    expect(published[2]?.detail).toMatchObject({ dryRun: false, decisions: summary.decisions });
    expect(summary.audit).toEqual({ published: 3, failed: [] });
  });

  it('keeps the changes and reports the failure when audit events cannot be published', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const failing: AuditPublisher = async (events) => ({
      published: 0,
      failed: events.map((e) => ({ detailType: e.detailType, error: 'ThrottlingException' })),
    });
    const summary = await runKeyEnforcement({ ...deps, publishAudit: failing }, options);
    expect(account.keysOf('bob')[0]?.status).toBe('Inactive');
    expect(summary.audit).toMatchObject({
      published: 0,
      failed: expect.arrayContaining([expect.anything()]),
    });
  });

  it('loads last use only when the unused-key rule is on', async () => {
    const off = demoAccount();
    const runOff = harness(off, DEMO_USERS);
    await runKeyEnforcement(runOff.deps, runOff.options);
    expect(off.callsOf('lastUsed')).toEqual([]);

    const on = demoAccount();
    const runOn = harness(on, DEMO_USERS);
    await runKeyEnforcement(runOn.deps, {
      ...runOn.options,
      settings: { ...DEFAULT_SETTINGS, unusedDays: 30 },
    });
    expect(on.callsOf('lastUsed').length).toBeGreaterThan(0);
  });
});

describe('runKeyEnforcement: mail', () => {
  it('mails each affected owner once and the security team its digest', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const mailer = deps.mailer as FakeMailer;
    const summary = await runKeyEnforcement(deps, options);
    expect(mailer.sent.map((m) => m.to[0]).sort()).toEqual([
      'bob@example.com',
      'ivan@example.com',
      'nina@example.com',
      'security@example.com',
    ]);
    expect(mailer.to('bob@example.com')[0]?.subject).toBe(
      'Your AWS access key AKIABOB0000000000001 was deactivated',
    );
    expect(mailer.to('security@example.com')[0]?.subject).toMatch(/^\[key-hygiene\] Nightly report/);
    expect(summary.notifications.owners.map((o) => o.status)).toEqual(['sent', 'sent', 'sent']);
    expect(summary.notifications.digest.status).toBe('sent');

    const again = harness(account, DEMO_USERS);
    const second = await runKeyEnforcement(again.deps, again.options);
    expect((again.deps.mailer as FakeMailer).sent.map((m) => m.to[0])).toEqual(['security@example.com']);
    expect(second.notifications.owners).toEqual([]);
  });

  it.each([
    {
      mode: 'a dry run',
      options: { dryRun: true },
      users: DEMO_USERS,
      note: 'this is a dry run',
      subject: /DRY RUN/,
    },
    {
      mode: 'a tripped guard',
      options: EVERY_KEY_AT_ONCE,
      users: EVERY_KEY_USERS,
      note: 'the guard tripped, so no key was changed',
      subject: /GUARD TRIPPED/,
    },
  ])(
    'mails no owner in $mode, and the digest says so',
    async ({ options: overrides, users, note, subject }) => {
      const account = demoAccount();
      const { deps, options } = harness(account, users);
      const summary = await runKeyEnforcement(deps, { ...options, ...overrides });
      const mailer = deps.mailer as FakeMailer;
      expect(mailer.sent.map((m) => m.to[0])).toEqual(['security@example.com']);
      expect(mailer.sent[0]?.subject).toMatch(subject);
      expect(summary.notifications.ownersNotMailed).toBe(note);
    },
  );

  it('warns once and goes on when mail is off', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const summary = await runKeyEnforcement(
      { ...deps, mailer: disabledMailer('SENDER_EMAIL is not set') },
      options,
    );
    expect(deps.log.warn).toHaveBeenCalledTimes(1);
    expect(deps.log.warn).toHaveBeenCalledWith('Mail is off', { reason: 'SENDER_EMAIL is not set' });
    expect(summary.notifications).toEqual({
      owners: [],
      ownersNotMailed: 'SENDER_EMAIL is not set',
      chat: { posted: 0, failed: [], skipped: 'no chat poster configured' },
      digest: { status: 'skipped', reason: 'SENDER_EMAIL is not set' },
    });
    expect(account.keysOf('bob')[0]?.status).toBe('Inactive');
  });

  it('keeps enforcing when every mail fails, and reports the failures', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const failing: Mailer = { send: async () => ({ status: 'failed', error: 'ServiceUnavailable' }) };
    const summary = await runKeyEnforcement({ ...deps, mailer: failing }, options);
    expect(summary.outcomes.done).toBe(2);
    expect(summary.notifications.owners.every((o) => o.status === 'failed')).toBe(true);
    expect(summary.notifications.digest).toEqual({ status: 'failed', error: 'ServiceUnavailable' });
  });

  it('counts what was done alike in the digest subject and table, the metrics and the summary', async () => {
    // Three deactivations planned: one done, one failed, one called off by the live re-check.
    const account = new FakeIamAccount()
      .addUser('ann', [liveKey('ann', { ageDays: 120, accessKeyId: 'AKIAANN0000000000001' })])
      .addUser('ben', [liveKey('ben', { ageDays: 120, accessKeyId: 'AKIABEN0000000000001' })])
      .addUser('cat', [liveKey('cat', { ageDays: 120, accessKeyId: 'AKIACAT0000000000001' })]);
    account.failOn('deactivateAccessKey', 'AKIABEN0000000000001');
    let catListings = 0;
    account.beforeCall = (method, target) => {
      // Someone deactivates cat's key between the plan and the live re-check.
      if (method === 'listAccessKeys' && target === 'cat' && ++catListings === 2) {
        const [key] = account.keysOf('cat');
        if (key) key.status = 'Inactive';
      }
    };
    const { deps, options } = harness(account, ['ann', 'ben', 'cat']);

    const summary = await runKeyEnforcement(deps, options);

    expect(summary.decisions.deactivate).toBe(3);
    expect(summary.keys.map((key) => [key.userName, key.outcome])).toEqual([
      ['ann', 'done'],
      ['ben', 'failed'],
      ['cat', 'skipped'],
    ]);
    expect(summary.counts).toMatchObject({ deactivated: 1, failed: 1, notNeeded: 1, failures: 1 });
    const digest = (deps.mailer as FakeMailer).to('security@example.com')[0];
    expect(digest?.subject).toBe(
      '[key-hygiene] Nightly report 2026-11-23: 1 deactivated, 0 deleted, 0 warned, 1 failure',
    );
    const counts =
      'Deactivated 1, Deleted 0, Warned 0, Exempt 0, Held for review 0, Not needed (live check) 1, Failures 1';
    expect(digest?.text).toContain(counts);
    // The HTML shows each count as a figure over its label.
    const tiles = [...(digest?.html ?? '').matchAll(/>(\d+)<\/div><div[^>]*>([^<]+)<\/div>/g)];
    expect(tiles.map(([, value, label]) => `${label} ${value}`).join(', ')).toBe(counts);
    expect(formatSummaryTable(summary)).toContain(counts);
    expect(keyRunMetricValues(summary)).toMatchObject({
      KeysDeactivated: 1,
      KeyActionsFailed: 1,
      KeysSkipped: 1,
      RunFailures: 1,
    });
  });
});

describe('runKeyEnforcement: chat', () => {
  /** The demo account, with bob's key re-activated after key-hygiene deactivated it: a critical finding. */
  function reactivatedAccount() {
    return demoAccount().addUser(
      'mallory',
      [liveKey('mallory', { ageDays: 100, accessKeyId: 'AKIAMAL0000000000001' })],
      {
        [deactivatedTag('AKIAMAL0000000000001')]: deactivatedValue(daysAgo(5), true, daysAgo(100)),
      },
    );
  }

  it('posts the run and each critical finding, after the owners are mailed and before the digest', async () => {
    const account = reactivatedAccount();
    const { deps, options } = harness(account, [...DEMO_USERS, 'mallory']);
    const chat = new FakeChat();
    const mailer = deps.mailer;
    const mailsWhenChatting: string[][] = [];
    chat.onPost = () => mailsWhenChatting.push(mailer.sent.flatMap((mail) => mail.to));

    const summary = await runKeyEnforcement({ ...deps, chat }, options);

    expect(chat.titles()).toEqual([
      'Account 123456789012: Nightly report 2026-11-23: 2 deactivated, 1 deleted, 1 warned',
      'Critical finding, Account 123456789012: `mallory`',
    ]);
    expect(summary.notifications.chat).toEqual({ posted: 2, failed: [] });
    // Owner mail went out before the first chat message; the digest, after the last.
    expect(mailsWhenChatting[0]).not.toContain('security@example.com');
    expect(mailsWhenChatting[0]?.length).toBeGreaterThan(0);
    expect(mailer.to('security@example.com')).toHaveLength(1);
    expect(keyRunMetricValues(summary).ChatPostFailed).toBe(0);
  });

  it('changes, records and mails all the same when chat fails, and the digest, summary, log and metric say so', async () => {
    const account = reactivatedAccount();
    const { deps, options } = harness(account, [...DEMO_USERS, 'mallory']);
    const chat = new FakeChat();
    chat.failing = 'NotFoundException: Topic does not exist';

    const summary = await runKeyEnforcement({ ...deps, chat }, options);

    expect(summary.outcomes.done).toBe(3);
    expect(account.keysOf('mallory')[0]?.status).toBe('Inactive');
    expect(summary.notifications.owners.filter((owner) => owner.status === 'sent').length).toBeGreaterThan(0);
    expect(summary.notifications.digest.status).toBe('sent');
    expect(summary.notifications.chat.posted).toBe(0);
    expect(summary.notifications.chat.failed).toEqual([
      { title: expect.stringMatching(/Nightly report/), error: 'NotFoundException: Topic does not exist' },
      {
        title: 'Critical finding, Account 123456789012: `mallory`',
        error: 'NotFoundException: Topic does not exist',
      },
    ]);
    expect(keyRunMetricValues(summary).ChatPostFailed).toBe(2);
    expect(deps.log.warn).toHaveBeenCalledWith('Chat messages not posted', {
      chat: summary.notifications.chat,
    });
    const digest = deps.mailer.to('security@example.com')[0];
    expect(digest?.text).toContain('Chat: 2 of 2 message(s) could not be posted.');
    expect(digest?.text).toContain('NotFoundException: Topic does not exist');
    expect(formatSummaryTable(summary)).toContain(
      'Chat: 2 of 2 message(s) FAILED: NotFoundException: Topic does not exist.',
    );
  });

  it('posts a dry run’s message too, saying it is one, and changes nothing', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const chat = new FakeChat();

    await runKeyEnforcement({ ...deps, chat }, { ...options, dryRun: true });

    expect(chat.titles()).toEqual([expect.stringMatching(/^Account 123456789012: DRY RUN: Nightly report/)]);
    expect(account.keysOf('bob')[0]?.status).toBe('Active');
  });

  it('tells chat where the digest goes, or why there is none', async () => {
    const account = demoAccount();
    const { deps, options } = harness(account, DEMO_USERS);
    const chat = new FakeChat();

    await runKeyEnforcement({ ...deps, chat, mailer: disabledMailer('SENDER_EMAIL is not set') }, options);

    expect(chat.posted[0]?.description.value).toContain(
      '*Full report:* no digest mail tonight (SENDER_EMAIL is not set).',
    );
  });
});
