import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { subscribeChatInbox } from '../../scripts/chat-inbox.ts';
import { CHAT_MAX_ATTEMPTS } from '../../shared/kernel/clients.ts';
import { faultLog, recordFigure } from '../helpers/fault-figures.ts';
import { SECURITY_TEAM, useFaultHarness } from '../helpers/fault-harness.ts';
import type { Fault, ProxiedRequest } from '../helpers/fault-proxy.ts';
import { ALL_HELD, mailsTo } from '../helpers/run-invariants.ts';

const harness = useFaultHarness();

/** The chat topic, made directly in the emulator (not through the proxy), with an inbox reading it. */
async function chatTopic() {
  const config = {
    endpoint: harness.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const { TopicArn } = await new SNSClient(config).send(new CreateTopicCommand({ Name: 'chat-down' }));
  return { topicArn: TopicArn ?? '', inbox: await subscribeChatInbox(TopicArn ?? '', config, 'chat-down') };
}

describe('SNS down (chat)', () => {
  const downs: [string, Fault][] = [
    ['503 Service Unavailable', { kind: 'server-error', status: 503 }],
    ['dropped connections', { kind: 'reset', when: 'before' }],
    ['429 Throttled on every publish', { kind: 'throttle' }],
  ];
  it.each(downs)(
    'enforces and mails all the same, and reports chat failed after a few quick tries (%s)',
    async (_case, fault) => {
      const base = await harness.baseline();
      const account = await harness.freshAccount();
      const { topicArn, inbox } = await chatTopic();
      const down = (request: ProxiedRequest) => (request.service === 'sns' ? fault : undefined);

      const run = await harness.run({ fault: down }, { CHAT_TOPIC_ARN: topicArn });

      const verdict = await harness.verdict(account, [run]);
      const publishes = run.exchanges.filter((exchange) => exchange.request.action === 'Publish').length;
      const messages =
        (run.summary?.notifications.chat.failed.length ?? 0) + (run.summary?.notifications.chat.posted ?? 0);
      recordFigure(
        `SNS down for chat (${_case})`,
        0,
        [run],
        JSON.stringify(verdict) === JSON.stringify(ALL_HELD),
        `${publishes} Publish requests for ${messages} chat message(s); run ${Math.round(run.ms / 1000)} s`,
      );

      expect(run.error).toBeUndefined();
      expect(verdict, faultLog([run])).toEqual(ALL_HELD);
      expect(run.summary?.notifications.owners.map((owner) => owner.status)).toEqual(
        base.summary.notifications.owners.map((owner) => owner.status),
      );
      expect(run.summary?.notifications.chat).toEqual({
        posted: 0,
        failed: [{ title: expect.stringMatching(/Nightly report/), error: expect.any(String) }],
      });
      expect(run.summary?.notifications.digest.status).toBe('sent');
      const digest = mailsTo(await harness.control.sentEmails(), SECURITY_TEAM[0] ?? '?');
      expect(digest).toHaveLength(1);
      expect(JSON.stringify(digest[0])).toContain('message(s) could not be posted');
      expect(await inbox.received(0)).toEqual([]);
      // A chat message gets the chat client's few attempts, whatever AWS_MAX_ATTEMPTS gives IAM and SES.
      expect(publishes).toBeLessThanOrEqual(CHAT_MAX_ATTEMPTS * messages);
      expect(publishes).toBeGreaterThan(0);
    },
  );

  it('posts what the run says it posted when SNS answers', async () => {
    await harness.freshAccount();
    const { topicArn, inbox } = await chatTopic();

    const run = await harness.run({}, { CHAT_TOPIC_ARN: topicArn });

    expect(run.summary?.notifications.chat).toEqual({ posted: 1, failed: [] });
    expect(await inbox.received(1)).toHaveLength(1);
  });
});
