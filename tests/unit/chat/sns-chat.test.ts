import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { chatbotPayload } from '../../../shared/chat/chatbot-payload.ts';
import { md } from '../../../shared/chat/markdown.ts';
import { chatPosterFor, disabledChat, snsChat } from '../../../shared/chat/sns-chat.ts';
import type { ChatMessage } from '../../../shared/chat/types.ts';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:key-hygiene-prod-notifications';
const message: ChatMessage = {
  title: md`Account 123456789012: Nightly report`,
  description: md`*Tonight:* Deactivated 1`,
  eventType: 'KeyEnforcementRunCompleted',
};

beforeEach(() => sns.reset());

describe('snsChat', () => {
  it('publishes the message to its topic as a Chatbot custom notification', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    const result = await snsChat(new SNSClient({ region: 'eu-west-1' }), { topicArn: TOPIC }).post(message);

    expect(result).toEqual({ status: 'posted', messageId: 'm-1' });
    expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input)).toEqual([
      { TopicArn: TOPIC, Message: chatbotPayload(message) },
    ]);
  });

  it('reports a failure, never throws it', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));

    const result = await snsChat(new SNSClient({ region: 'eu-west-1' }), { topicArn: TOPIC }).post(message);

    expect(result).toEqual({ status: 'failed', error: 'NotFoundException: Topic does not exist' });
  });
});

describe('chatPosterFor', () => {
  it('posts nothing without CHAT_TOPIC_ARN, and says so', async () => {
    const createClient = vi.fn();

    const poster = chatPosterFor({ topicArn: undefined }, createClient);

    expect(poster.disabledReason).toBe('CHAT_TOPIC_ARN is not set: no chat message was posted');
    expect(await poster.post(message)).toEqual({ status: 'skipped', reason: poster.disabledReason });
    expect(createClient).not.toHaveBeenCalled();
  });

  it('publishes through a client of the topic’s own region', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const createClient = vi.fn((region: string) => new SNSClient({ region }));

    const result = await chatPosterFor({ topicArn: TOPIC }, createClient).post(message);

    expect(createClient).toHaveBeenCalledWith('eu-west-1');
    expect(result).toEqual({ status: 'posted', messageId: 'm-2' });
  });
});

describe('disabledChat', () => {
  it('skips every message with its reason', async () => {
    expect(await disabledChat('off').post(message)).toEqual({ status: 'skipped', reason: 'off' });
  });
});
