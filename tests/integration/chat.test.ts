// Chat through the real enforceKeys handler against the emulator: an SQS queue subscribed to the chat
// topic stands in for AWS Chatbot and reads back exactly the message bodies Chatbot would post.

import { TagUserCommand } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ChatInbox, subscribeChatInbox } from '../../scripts/chat-inbox.ts';
import { seedDemoAccount } from '../../scripts/demo-account.ts';
import type { SentEmail } from '../../scripts/emulator/index.ts';
import { addDays } from '../../shared/kernel/time.ts';
import { deactivatedTag, deactivatedValue } from '../../shared/key-enforcement/key-records.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { chatbotNotificationShape } from '../helpers/chatbot-shape.ts';
import { captureEmbeddedMetrics } from '../helpers/embedded-metrics.ts';
import { emulatorClientConfig, iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceKeysHandler, loadEnforcePasswordPolicyHandler } from '../helpers/lambda.ts';

const { control } = useEmulator();

const MAIL = {
  SENDER_EMAIL: 'key-hygiene@example.com',
  SECURITY_TEAM_EMAILS: 'security-team@example.com',
  EMAIL_DOMAIN: 'example.com',
};
const MISSING_TOPIC = 'arn:aws:sns:us-east-1:123456789012:no-such-topic';
/** A user name IAM allows that would ping the whole channel if posted as it is. */
const MENTION_USER = '@here';

/** The raw mails sent to `address`, header lines unfolded. */
function rawMailsTo(mails: SentEmail[], address: string): string[] {
  return mails.flatMap((mail) =>
    mail.kind === 'raw' && mail.destinations.includes(address)
      ? [mail.rawData.replace(/\r?\n[ \t]+/g, ' ')]
      : [],
  );
}

let topicArn: string;
let inbox: ChatInbox;

beforeEach(async () => {
  const config = emulatorClientConfig();
  const topic = await new SNSClient(config).send(
    new CreateTopicCommand({
      Name: 'key-hygiene-test-notifications',
      Attributes: { KmsMasterKeyId: 'alias/aws/sns' },
    }),
  );
  topicArn = topic.TopicArn ?? '';
  inbox = await subscribeChatInbox(topicArn, config);
  await new SESv2Client(config).send(new CreateEmailIdentityCommand({ EmailIdentity: MAIL.SENDER_EMAIL }));
});

/** The demo account, and a key of MENTION_USER that someone re-activated after key-hygiene deactivated it. */
async function seedAccountWithReactivatedKey(): Promise<{ reactivatedKey: string }> {
  const now = new Date();
  // To the second, as IAM keeps it: the record names its key by this creation time.
  const keyCreated = new Date(Math.floor(addDays(now, -100).getTime() / 1000) * 1000);
  await seedDemoAccount(iamClient(), control, now);
  const [seeded] = await control.seedUsers([{ userName: MENTION_USER, keys: [{ createDate: keyCreated }] }]);
  const reactivatedKey = seeded?.accessKeyIds[0] ?? '';
  await iamClient().send(
    new TagUserCommand({
      UserName: MENTION_USER,
      Tags: [
        { Key: deactivatedTag(reactivatedKey), Value: deactivatedValue(addDays(now, -5), true, keyCreated) },
      ],
    }),
  );
  return { reactivatedKey };
}

describe('chat messages of the nightly run', () => {
  it('posts one message for the run and one per critical finding, each a Chatbot custom notification', async () => {
    const { reactivatedKey } = await seedAccountWithReactivatedKey();

    const summary = await (await loadEnforceKeysHandler({ ...MAIL, CHAT_TOPIC_ARN: topicArn }))({});
    const received = await inbox.received(2);

    expect(received).toHaveLength(2);
    for (const { notification } of received) {
      expect(chatbotNotificationShape.safeParse(notification).error).toBeUndefined();
    }
    const [run, finding] = received.map((message) => message.notification);
    const { counts } = summary;
    expect(run?.content.title).toBe(
      `Account 123456789012: Nightly report ${summary.decidedAt.slice(0, 10)}: ${counts.deactivated} deactivated, ${counts.deleted} deleted, ${counts.warned} warned`,
    );
    expect(run?.content.description).toContain(
      `*Tonight:* Deactivated ${counts.deactivated}, Deleted ${counts.deleted}, Warned ${counts.warned}, Exempt ${counts.exempt},`,
    );
    expect(run?.content.description).toContain('*Critical findings:* 1, one message each below.');
    expect(run?.content.description).toContain(
      '*Full report:* the digest mail "[key-hygiene] Nightly report',
    );
    expect(run?.metadata.eventType).toBe('KeyEnforcementRunCompleted');
    expect(finding?.metadata.eventType).toBe('CriticalFinding');
    expect(finding?.content.description).toContain(`Access key ${reactivatedKey} was re-activated`);
    expect(summary.notifications.chat).toEqual({ posted: 2, failed: [] });
  });

  it('defuses a user name that would mention the whole channel', async () => {
    await seedAccountWithReactivatedKey();

    await (await loadEnforceKeysHandler({ ...MAIL, CHAT_TOPIC_ARN: topicArn }))({});
    const [, finding] = await inbox.received(2);

    expect(finding?.notification.content.title).toBe('Critical finding, Account 123456789012: `@\u2060here`');
    // Nowhere in what Chatbot reads is there a mention it would act on.
    expect(finding?.body).not.toMatch(/@here|<!/);
    expect(finding?.notification.metadata.summary).toBe('Critical finding: @\u2060here');
  });

  it('marks a dry run’s message as one, and changes nothing', async () => {
    await seedDemoAccount(iamClient(), control, new Date());
    const before = await snapshotAccount(iamClient());

    await (await loadEnforceKeysHandler({ ...MAIL, CHAT_TOPIC_ARN: topicArn }))({ dryRun: true });
    const received = await inbox.received(1);

    expect(received.map((message) => message.notification.content.title)).toEqual([
      expect.stringMatching(/^Account 123456789012: DRY RUN: Nightly report/),
    ]);
    expect(received[0]?.notification.content.description).toContain(
      '*Dry run:* nothing was changed, recorded or mailed to owners.',
    );
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it('posts nothing without CHAT_TOPIC_ARN, and says so in the summary', async () => {
    await seedDemoAccount(iamClient(), control, new Date());

    const summary = await (await loadEnforceKeysHandler(MAIL))({});

    expect(summary.notifications.chat).toEqual({
      posted: 0,
      failed: [],
      skipped: 'CHAT_TOPIC_ARN is not set: no chat message was posted',
    });
    expect(await inbox.received(0)).toEqual([]);
  });
});

describe('chat messages of the password-policy run', () => {
  it('posts the change it made, once, and nothing on a compliant night', async () => {
    const run = await loadEnforcePasswordPolicyHandler({ ...MAIL, CHAT_TOPIC_ARN: topicArn });

    const report = await run({});
    const posted = await inbox.received(1);
    await run({});
    const compliantNight = await inbox.received(0);

    expect(report.outcome).toBe('created');
    expect(posted).toHaveLength(1);
    expect(chatbotNotificationShape.safeParse(posted[0]?.notification).error).toBeUndefined();
    expect(posted[0]?.notification.content.title).toBe('Account 123456789012: Password policy created');
    expect(posted[0]?.notification.content.description).toContain(
      '*Minimum password length:* no policy → 14 characters',
    );
    expect(posted[0]?.notification.metadata.eventType).toBe('PasswordPolicyUpdated');
    expect(compliantNight).toEqual([]);
  });

  it('keeps the new policy and the mail when chat fails, and reports it', async () => {
    const report = await (await loadEnforcePasswordPolicyHandler({ ...MAIL, CHAT_TOPIC_ARN: MISSING_TOPIC }))(
      {},
    );

    expect(report.outcome).toBe('created');
    expect(report.mail.status).toBe('sent');
    expect(report.chat.failed).toEqual([
      {
        title: 'Account 123456789012: Password policy created',
        error: expect.stringMatching(/^NotFoundException/),
      },
    ]);
  });
});

describe('a chat failure', () => {
  it('leaves the run’s changes and mail done, and the summary, digest and metric say chat failed', async () => {
    const demo = await seedDemoAccount(iamClient(), control, new Date());
    const overdue = demo.users.overdue;

    const run = await captureEmbeddedMetrics(async () =>
      (
        await loadEnforceKeysHandler({
          ...MAIL,
          CHAT_TOPIC_ARN: MISSING_TOPIC,
          POWERTOOLS_METRICS_DISABLED: 'false',
        })
      )({}),
    );

    expect(run.outcome.status).toBe('fulfilled');
    const summary = run.outcome.status === 'fulfilled' ? run.outcome.value : undefined;
    const account = await snapshotAccount(iamClient());
    expect(account[overdue.userName]?.keys.map((key) => key.status)).toEqual(['Inactive']);
    expect(summary?.notifications.chat.posted).toBe(0);
    expect(summary?.notifications.chat.failed).toEqual([
      { title: expect.stringMatching(/Nightly report/), error: expect.stringMatching(/^NotFoundException/) },
    ]);
    expect(summary?.notifications.digest.status).toBe('sent');
    const mails = await control.sentEmails();
    expect(rawMailsTo(mails, `${overdue.userName}@example.com`)).toHaveLength(1);
    const digests = rawMailsTo(mails, MAIL.SECURITY_TEAM_EMAILS);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain('Chat: 1 of 1 message(s) could not be posted.');
    expect(run.records.find((record) => 'ChatPostFailed' in record)).toMatchObject({ ChatPostFailed: 1 });
    expect(await inbox.received(0)).toEqual([]);
  });
});

describe('a malformed CHAT_TOPIC_ARN', () => {
  it('stops the function at start, naming it, before any request and with nothing changed', async () => {
    await seedDemoAccount(iamClient(), control, new Date());
    const before = await snapshotAccount(iamClient());
    await control.clearServedRequests();

    await expect(loadEnforceKeysHandler({ ...MAIL, CHAT_TOPIC_ARN: 'security-alerts' })).rejects.toThrow(
      /CHAT_TOPIC_ARN: must be an SNS topic ARN.*\(got "security-alerts"\)/,
    );

    expect(await control.servedRequests()).toEqual([]);
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });
});
