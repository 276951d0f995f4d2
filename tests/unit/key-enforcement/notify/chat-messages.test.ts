import { describe, expect, it } from 'vitest';
import { chatbotPayload } from '../../../../shared/chat/chatbot-payload.ts';
import {
  accountOfReport,
  keyRunChatMessages,
  MAX_FINDING_MESSAGES,
  type RunChatInput,
} from '../../../../shared/key-enforcement/notify/chat-messages.ts';
import type { Finding, RunSummary } from '../../../../shared/key-enforcement/types.ts';
import { chatbotNotificationShape } from '../../../helpers/chatbot-shape.ts';
import { NOW } from '../../../helpers/key-facts.ts';
import { nightBudget, WRONG_NIGHT } from '../../../helpers/night.ts';
import { runSummary, summaryRow } from '../../../helpers/run-summary.ts';

const SUBJECT = '[key-hygiene] Nightly report 2026-11-23: 1 deactivated, 0 deleted, 1 warned';

function input(
  overrides: Partial<Omit<RunSummary, 'counts'>> = {},
  rest: Partial<RunChatInput> = {},
): RunChatInput {
  return {
    summary: runSummary(overrides),
    account: { accountId: '123456789012' },
    digest: { subject: SUBJECT },
    ...rest,
  };
}

const reactivated = (userName: string): Finding => ({
  severity: 'critical',
  subject: userName,
  message: `Access key AKIA0000000000000001 was re-activated after key-hygiene deactivated it on 2026-11-01; deactivated again tonight.`,
});
const rootKey: Finding = {
  severity: 'critical',
  subject: '<root_account>',
  message: 'The root account has an active access key (slot 1, created 2020-01-01, never used).',
};
const warning: Finding = { severity: 'warning', subject: 'eve', message: 'an unreadable row' };

describe('keyRunChatMessages: the run', () => {
  it('posts one short message: account, tonight’s counts as every report counts them, guard, backlog, where the digest is', () => {
    const [run, ...rest] = keyRunChatMessages(input());

    expect(rest).toEqual([]);
    expect(run?.title.value).toBe(
      'Account 123456789012: Nightly report 2026-11-23: 1 deactivated, 0 deleted, 1 warned',
    );
    expect(run?.description.value.split('\n')).toEqual([
      '*Guard:* not tripped (1 of 10 keys needed action).',
      '*Tonight:* Deactivated 1, Deleted 0, Warned 1, Exempt 0, Held for review 0, Not needed (live check) 0, Failures 0.',
      '*Backlog:* none.',
      `*Full report:* the digest mail "${SUBJECT}" to the security team.`,
    ]);
    expect(run).toMatchObject({
      eventType: 'KeyEnforcementRunCompleted',
      keywords: ['key-hygiene'],
      additionalContext: { accountId: '123456789012', decidedAt: NOW.toISOString(), dryRun: 'false' },
    });
    expect(run?.nextSteps).toBeUndefined();
    expect(run?.threadId).toBeUndefined();
  });

  it('says a dry run is one, and counts what a real run would do', () => {
    const [run] = keyRunChatMessages(
      input({
        dryRun: true,
        keys: [summaryRow({ outcome: 'dry-run' })],
        outcomes: { ...input().summary.outcomes },
      }),
    );

    expect(run?.title.value).toMatch(
      /^Account 123456789012: DRY RUN: Nightly report 2026-11-23: 1 would be deactivated/,
    );
    expect(run?.description.value).toContain('*Dry run:* nothing was changed, recorded or mailed to owners.');
    expect(run?.description.value).toContain('*Tonight:* Would deactivate 1, Would delete 0,');
    expect(run?.keywords).toEqual(['key-hygiene', 'dry-run']);
  });

  it('says the guard tripped, why, and what to do', () => {
    const [run] = keyRunChatMessages(
      input({ guard: WRONG_NIGHT, keys: [summaryRow({ outcome: 'held-by-guard' })] }),
    );

    expect(run?.title.value).toContain('GUARD TRIPPED');
    expect(run?.description.value).toContain(
      '*Guard tripped: no key was changed.* 10 of the account’s 10 access keys need action tonight.',
    );
    expect(run?.nextSteps?.map((step) => step.value)).toEqual([
      "Read the guard's reason in the digest and fix the clock, setting or report it points at; the next night then runs as usual.",
    ]);
    expect(run?.keywords).toContain('guard-tripped');
  });

  it('gives the backlog left for later nights and when it clears', () => {
    const [run] = keyRunChatMessages(
      input({
        budget: nightBudget(
          { due: 80, tonight: 50, waiting: 30, remaining: 30, clearsOn: '2026-11-24' },
          { limit: 0, due: 3, waiting: 3, remaining: 3 },
        ),
      }),
    );

    expect(run?.description.value).toContain(
      '*Backlog:* 30 deactivations (clears on 2026-11-24), 3 deletions (not cleared while its limit is 0) remain for later nights.',
    );
  });

  it('points to the failures in the digest when there were any', () => {
    const [run] = keyRunChatMessages(
      input({ failures: [{ userName: 'bob', step: 'deactivate', error: 'AccessDenied' }] }),
    );

    expect(run?.description.value).toContain('Failures 1.');
    expect(run?.nextSteps?.map((step) => step.value)).toEqual([
      'The digest lists each failure with its error.',
    ]);
  });

  it('says why no digest is mailed, when none is', () => {
    const [run] = keyRunChatMessages(input({}, { digest: { notMailed: 'SENDER_EMAIL is not set' } }));

    expect(run?.description.value).toContain(
      '*Full report:* no digest mail tonight (SENDER_EMAIL is not set).',
    );
  });

  it('names the account by its alias too, defused like any account text', () => {
    const [run] = keyRunChatMessages(
      input({}, { account: { accountId: '123456789012', alias: 'payments-prod' } }),
    );

    expect(run?.title.value).toMatch(/^Account 123456789012 \(payments-prod\): Nightly report/);
  });

  it('names no account it does not know', () => {
    const [run] = keyRunChatMessages(input({}, { account: undefined }));

    expect(run?.title.value).toMatch(/^This account: Nightly report/);
    expect(run?.additionalContext).not.toHaveProperty('accountId');
  });
});

describe('keyRunChatMessages: critical findings', () => {
  it('posts one message per critical finding, none for a warning', () => {
    const messages = keyRunChatMessages(input({ findings: [reactivated('mallory'), warning, rootKey] }));

    expect(messages.map((message) => message.title.value)).toEqual([
      expect.stringMatching(/^Account 123456789012: Nightly report/),
      'Critical finding, Account 123456789012: `mallory`',
      'Critical finding, Account 123456789012: `‹root_account›`',
    ]);
    expect(messages[0]?.description.value).toContain('*Critical findings:* 2, one message each below.');
    expect(messages[1]).toMatchObject({
      description: expect.objectContaining({ value: reactivated('mallory').message }),
      eventType: 'CriticalFinding',
      keywords: ['key-hygiene', 'critical'],
      summary: 'Critical finding: mallory',
    });
  });

  it('threads each finding by its subject and account, so a nightly repeat stays in one thread', () => {
    const tonight = keyRunChatMessages(input({ findings: [rootKey, reactivated('mallory')] }));
    const tomorrow = keyRunChatMessages(
      input({ findings: [rootKey], decidedAt: '2026-11-24T03:00:00.000Z' }),
    );
    const otherAccount = keyRunChatMessages(
      input({ findings: [rootKey] }, { account: { accountId: '210987654321' } }),
    );

    expect(tonight[1]?.threadId).toMatch(/^key-hygiene-123456789012-finding-[0-9a-f]{16}$/);
    expect(tomorrow[1]?.threadId).toBe(tonight[1]?.threadId);
    expect(tonight[2]?.threadId).not.toBe(tonight[1]?.threadId);
    expect(otherAccount[1]?.threadId).not.toBe(tonight[1]?.threadId);
    expect(tomorrow[1]?.id).not.toBe(tonight[1]?.id);
  });

  it(`posts at most ${MAX_FINDING_MESSAGES} findings, and says where the rest are`, () => {
    const findings = Array.from({ length: 14 }, (_, index) => reactivated(`user-${index}`));

    const messages = keyRunChatMessages(input({ findings }));

    expect(messages).toHaveLength(1 + MAX_FINDING_MESSAGES);
    expect(messages[0]?.description.value).toContain(
      `*Critical findings:* 14; the first ${MAX_FINDING_MESSAGES} follow, one message each, and the digest lists them all.`,
    );
  });

  it('marks a dry run’s findings as such', () => {
    const [, finding] = keyRunChatMessages(input({ dryRun: true, findings: [reactivated('mallory')] }));

    expect(finding?.title.value).toMatch(/^DRY RUN: Critical finding/);
    expect(finding?.description.value).toMatch(/\n\*Dry run:\* nothing was changed tonight\.$/);
    expect(finding?.keywords).toContain('dry-run');
  });

  it('defuses a user name or report text that would mention, link or format in the channel', () => {
    const hostile = ['@here', '@channel', '_x_', 'a@b.c'];
    const findings: Finding[] = [
      ...hostile.map(reactivated),
      {
        severity: 'critical',
        subject: 'credential report line 7',
        message:
          'Credential report line 7, column user is not an IAM user name: "<!channel> [click](http://evil.example) `x` *y*"',
      },
    ];

    const messages = keyRunChatMessages(input({ findings }));

    for (const message of messages) {
      const notification = JSON.parse(chatbotPayload(message));
      expect(chatbotNotificationShape.safeParse(notification).error).toBeUndefined();
      const text = [
        notification.content.title,
        notification.content.description,
        notification.metadata.summary,
      ]
        .filter(Boolean)
        .join('\n');
      expect(text).not.toMatch(/@(?!\u2060)|<!|\[click\]|http:\/\//);
    }
    expect(messages[1]?.title.value).toBe('Critical finding, Account 123456789012: `@\u2060here`');
    expect(messages[3]?.title.value).toBe('Critical finding, Account 123456789012: `_x_`');
    expect(messages[5]?.description.value).not.toMatch(/[`*]/);
  });
});

describe('accountOfReport', () => {
  it('is the account of the report’s ARNs, root or user', () => {
    expect(accountOfReport([{ arn: 'arn:aws:iam::123456789012:root' }])).toBe('123456789012');
    expect(accountOfReport([{ arn: 'garbage' }, { arn: 'arn:aws-cn:iam::210987654321:user/a/b' }])).toBe(
      '210987654321',
    );
    expect(accountOfReport([])).toBeUndefined();
  });
});
