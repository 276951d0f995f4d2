import { describe, expect, it, vi } from 'vitest';
import type { AuditEvent, AuditPublisher } from '../../../shared/audit/publish-audit-events.ts';
import type { AccountPasswordPolicy } from '../../../shared/kernel/account-password-policy.ts';
import type { Mailer } from '../../../shared/mail/types.ts';
import { enforcePasswordPolicy } from '../../../shared/password-policy/enforce-password-policy.ts';
import {
  PasswordPolicyReadError,
  PasswordPolicyUpdateError,
} from '../../../shared/password-policy/errors.ts';
import { FakeChat } from '../../helpers/fake-chat.ts';
import { FakeMailer } from '../../helpers/fake-mailer.ts';
import { FakePasswordPolicyStore } from '../../helpers/fake-password-policy-store.ts';
import { baselinePolicy, weakPolicy } from '../../helpers/password-policies.ts';

const NOW = new Date('2026-11-23T03:30:00.000Z');
const TEAM = ['security@example.com', 'oncall@example.com'];

function harness(policy: AccountPasswordPolicy | undefined, options: { securityTeam?: string[] } = {}) {
  const store = new FakePasswordPolicyStore(policy);
  const mailer = new FakeMailer();
  const published: AuditEvent[] = [];
  const publishAudit = vi.fn<AuditPublisher>(async (events) => {
    published.push(...events);
    return { published: events.length, failed: [] };
  });
  const log = { info: vi.fn(), warn: vi.fn() };
  const chat = new FakeChat();
  const deps = {
    policies: store,
    publishAudit,
    mailer,
    chat,
    securityTeam: options.securityTeam ?? TEAM,
    log,
    clock: () => NOW,
  };
  const run = (dryRun = false) =>
    enforcePasswordPolicy(deps, { baseline: baselinePolicy(), dryRun, account: '123456789012' });
  return { store, mailer, chat, published, publishAudit, log, deps, run };
}

describe('enforcePasswordPolicy', () => {
  it('creates the baseline policy when the account has none, publishes it and mails the security team', async () => {
    const { store, mailer, published, run } = harness(undefined);

    const report = await run();

    expect(store.writes).toEqual([baselinePolicy()]);
    expect(report).toMatchObject({
      dryRun: false,
      account: '123456789012',
      checkedAt: NOW.toISOString(),
      outcome: 'created',
      before: null,
      after: baselinePolicy(),
      audit: { published: 1, failed: [] },
      mail: { status: 'sent', messageId: 'fake-1' },
    });
    expect(report.changes).toHaveLength(9);
    expect(published).toEqual([
      {
        detailType: 'PasswordPolicyUpdated',
        time: NOW,
        detail: {
          action: 'created',
          account: '123456789012',
          checkedAt: NOW.toISOString(),
          changes: report.changes,
          before: null,
          after: baselinePolicy(),
        },
      },
    ]);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.to).toEqual(TEAM);
    expect(mailer.sent[0]?.subject).toBe('[key-hygiene] Password policy created (account 123456789012)');
  });

  it('tightens only the weaker fields of an existing policy, in one write of the whole policy', async () => {
    const found = weakPolicy({ minimumPasswordLength: 20, hardExpiry: true, maxPasswordAge: 120 });
    const { store, published, run } = harness(found);

    const report = await run();

    const held = baselinePolicy({ minimumPasswordLength: 20, hardExpiry: true });
    expect(store.writes).toEqual([held]);
    expect(report.outcome).toBe('updated');
    expect(report.before).toEqual(found);
    expect(report.after).toEqual(held);
    expect(report.changes.map(({ field, before, after }) => [field, before, after])).toEqual([
      ['requireUppercaseCharacters', false, true],
      ['requireLowercaseCharacters', false, true],
      ['requireNumbers', false, true],
      ['requireSymbols', false, true],
      ['maxPasswordAge', 120, 90],
      ['passwordReusePrevention', null, 24],
      ['allowUsersToChangePassword', false, true],
    ]);
    expect(published.map((event) => event.detail.action)).toEqual(['updated']);
  });

  it.each([
    ['the baseline itself', baselinePolicy()],
    [
      'a policy stricter than the baseline in every ordered field',
      baselinePolicy({ minimumPasswordLength: 30, maxPasswordAge: 30, hardExpiry: true }),
    ],
  ])('writes, publishes and mails nothing when the account already has %s', async (_, found) => {
    const { store, mailer, publishAudit, run } = harness(found);

    const report = await run();

    expect(store.writes).toEqual([]);
    expect(publishAudit).not.toHaveBeenCalled();
    expect(mailer.sent).toEqual([]);
    expect(report).toMatchObject({ outcome: 'compliant', before: found, after: found, changes: [] });
    expect(report.mail.status).toBe('skipped');
  });

  it.each([
    [
      undefined,
      'would-create',
      '[key-hygiene] DRY RUN: Password policy would be created (account 123456789012)',
    ],
    [
      weakPolicy(),
      'would-update',
      '[key-hygiene] DRY RUN: Password policy would be tightened: 8 settings (account 123456789012)',
    ],
  ] as const)(
    'reports the drift in a dry run, writes and publishes nothing, and mails what it would change (%#)',
    async (found, outcome, subject) => {
      const { store, mailer, publishAudit, run } = harness(found);

      const report = await run(true);

      expect(store.writes).toEqual([]);
      expect(store.policy).toEqual(found);
      expect(publishAudit).not.toHaveBeenCalled();
      expect(report).toMatchObject({ dryRun: true, outcome, after: baselinePolicy() });
      expect(report.audit).toEqual({ skipped: 'dry run: no change was made' });
      expect(report.changes.length).toBeGreaterThan(0);
      expect(mailer.sent.map((mail) => mail.subject)).toEqual([subject]);
      expect(mailer.sent[0]?.text).toContain('DRY RUN: nothing was changed.');
    },
  );

  it('keeps the update and reports the failure when the mail cannot be sent', async () => {
    const { store, mailer, published, log, run } = harness(weakPolicy());
    mailer.failFor.add('oncall@example.com');

    const report = await run();

    const error = 'TooManyRequestsException: Maximum sending rate exceeded';
    expect(store.writes).toHaveLength(1);
    expect(published).toHaveLength(1);
    expect(report.outcome).toBe('updated');
    expect(report.mail).toEqual({ status: 'failed', error });
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('could not be mailed'), { error });
  });

  it('keeps the update and reports the failure when a mailer throws', async () => {
    const { store, deps } = harness(weakPolicy());
    const throwing: Mailer = {
      send: async () => {
        throw new Error('socket hang up');
      },
    };

    const report = await enforcePasswordPolicy(
      { ...deps, mailer: throwing },
      { baseline: baselinePolicy(), dryRun: false },
    );

    expect(store.writes).toHaveLength(1);
    expect(report.mail).toEqual({ status: 'failed', error: 'Error: socket hang up' });
  });

  it('keeps the update, still mails, and reports the failure when the event cannot be published', async () => {
    const { store, mailer, deps, log } = harness(weakPolicy());
    deps.publishAudit.mockResolvedValue({
      published: 0,
      failed: [{ detailType: 'PasswordPolicyUpdated', error: 'InternalFailure: try again' }],
    });

    const report = await enforcePasswordPolicy(deps, { baseline: baselinePolicy(), dryRun: false });

    expect(store.writes).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(report.audit).toEqual({
      published: 0,
      failed: [{ detailType: 'PasswordPolicyUpdated', error: 'InternalFailure: try again' }],
    });
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining('could not be published'),
      expect.anything(),
    );
  });

  it('keeps the update and reports the failure when a publisher throws', async () => {
    const { store, mailer, deps } = harness(weakPolicy());
    deps.publishAudit.mockRejectedValue(new Error('endpoint unreachable'));

    const report = await enforcePasswordPolicy(deps, { baseline: baselinePolicy(), dryRun: false });

    expect(store.writes).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(report.audit).toEqual({
      published: 0,
      failed: [{ detailType: 'PasswordPolicyUpdated', error: 'Error: endpoint unreachable' }],
    });
  });

  it('mails nobody and says why when no security team is configured', async () => {
    const { store, mailer, run } = harness(weakPolicy(), { securityTeam: [] });

    const report = await run();

    expect(store.writes).toHaveLength(1);
    expect(mailer.sent).toEqual([]);
    expect(report.mail).toEqual({
      status: 'skipped',
      reason: 'SECURITY_TEAM_EMAILS is not set: no mail was sent',
    });
  });

  it('publishes nothing and says so when no publisher is given', async () => {
    const { store, deps } = harness(weakPolicy());
    const { publishAudit: _, ...withoutPublisher } = deps;

    const report = await enforcePasswordPolicy(withoutPublisher, {
      baseline: baselinePolicy(),
      dryRun: false,
    });

    expect(store.writes).toHaveLength(1);
    expect(report.audit).toEqual({ skipped: 'no audit publisher configured' });
    expect(report).not.toHaveProperty('account');
  });

  it('writes, publishes and mails nothing when the policy cannot be read', async () => {
    const { store, mailer, publishAudit, run } = harness(weakPolicy());
    store.readError = new PasswordPolicyReadError('Reading the account password policy failed: Throttling');

    await expect(run()).rejects.toBeInstanceOf(PasswordPolicyReadError);
    expect(store.writes).toEqual([]);
    expect(publishAudit).not.toHaveBeenCalled();
    expect(mailer.sent).toEqual([]);
  });

  it('publishes and mails nothing when the update fails: no change to announce', async () => {
    const { store, mailer, publishAudit, run } = harness(weakPolicy());
    store.writeError = new PasswordPolicyUpdateError('Updating the account password policy failed');

    await expect(run()).rejects.toBeInstanceOf(PasswordPolicyUpdateError);
    expect(store.policy).toEqual(weakPolicy());
    expect(publishAudit).not.toHaveBeenCalled();
    expect(mailer.sent).toEqual([]);
  });

  it('changes nothing more when run again, as after a Lambda retry', async () => {
    const { store, mailer, publishAudit, run } = harness(weakPolicy());

    await run();
    const second = await run();

    expect(second.outcome).toBe('compliant');
    expect(store.writes).toHaveLength(1);
    expect(publishAudit).toHaveBeenCalledTimes(1);
    expect(mailer.sent).toHaveLength(1);
  });
});

describe('enforcePasswordPolicy: chat', () => {
  it('posts the change after mailing it: what changed, and the mail that has the rest', async () => {
    const { chat, mailer, run } = harness(weakPolicy());
    chat.onPost = () => expect(mailer.sent).toHaveLength(1);

    const report = await run();

    expect(report.chat).toEqual({ posted: 1, failed: [] });
    expect(chat.titles()).toEqual([
      `Account 123456789012: Password policy tightened: ${report.changes.length} settings changed`,
    ]);
    const description = chat.posted[0]?.description.value ?? '';
    expect(description).toContain('*Minimum password length:* 8 characters → 14 characters');
    expect(description).toContain(`*Details:* the mail "${mailer.sent[0]?.subject}" to the security team.`);
    expect(chat.posted[0]).toMatchObject({ eventType: 'PasswordPolicyUpdated' });
  });

  it('posts a dry run’s drift, saying nothing was changed', async () => {
    const { chat, store, run } = harness(undefined);

    await run(true);

    expect(store.writes).toEqual([]);
    expect(chat.titles()).toEqual(['Account 123456789012: DRY RUN: Password policy would be created']);
    expect(chat.posted[0]?.description.value).toMatch(/^\*Dry run:\* nothing was changed\.\n/);
    expect(chat.posted[0]?.description.value).toContain(
      '*Minimum password length:* no policy → 14 characters',
    );
  });

  it('posts nothing when the policy already meets the baseline', async () => {
    const { chat, run } = harness(baselinePolicy());

    const report = await run();

    expect(chat.posted).toEqual([]);
    expect(report.chat).toEqual({
      posted: 0,
      failed: [],
      skipped: 'the policy already meets the baseline: nothing to post',
    });
  });

  it('keeps the update and the mail, and reports and logs the failure, when chat fails', async () => {
    const { chat, store, mailer, log, run } = harness(weakPolicy());
    chat.failing = 'NotFoundException: Topic does not exist';

    const report = await run();

    expect(store.writes).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(report.chat.failed).toEqual([
      {
        title: expect.stringContaining('Password policy tightened'),
        error: 'NotFoundException: Topic does not exist',
      },
    ]);
    expect(log.warn).toHaveBeenCalledWith('The password policy change could not be posted to chat', {
      failed: report.chat.failed,
    });
  });

  it('says where the mail went when it could not be sent', async () => {
    const { chat, mailer, run } = harness(weakPolicy());
    mailer.failFor.add(TEAM[0] ?? '');

    await run();

    expect(chat.posted[0]?.description.value).toContain(
      '*Details:* no mail to the security team (failed: TooManyRequestsException: Maximum sending rate exceeded).',
    );
  });
});
