import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { describeError } from '../kernel/index.ts';
import { chatbotPayload } from './chatbot-payload.ts';
import { type ChatConfig, topicRegion } from './config.ts';
import type { ChatPoster } from './types.ts';

/**
 * The actions the SNS adapter calls: every function that posts to chat needs them on its topic, and on no
 * other. tests/unit/deployment/permissions.test.ts holds every function's role to the actions its code
 * declares.
 */
export const CHAT_SNS_ACTIONS = ['sns:Publish'] as const;

/**
 * Posts through an SNS topic that AWS Chatbot (and any pager) subscribes to: each message is published as a
 * Chatbot custom notification. What fails comes back as `failed`, never as a throw, so a chat message that
 * cannot be posted never blocks enforcement or mail.
 */
export function snsChat(client: SNSClient, options: { topicArn: string }): ChatPoster {
  return {
    async post(message) {
      try {
        const response = await client.send(
          new PublishCommand({ TopicArn: options.topicArn, Message: chatbotPayload(message) }),
        );
        return { status: 'posted', messageId: response.MessageId ?? '' };
      } catch (error: unknown) {
        return { status: 'failed', error: describeError(error) };
      }
    },
  };
}

/** A poster for when no topic is configured: every message is skipped with the reason. */
export function disabledChat(reason: string): ChatPoster {
  return { disabledReason: reason, post: async () => ({ status: 'skipped', reason }) };
}

/**
 * The poster the settings ask for: SNS to CHAT_TOPIC_ARN, through a client made for the topic's region, or
 * a disabled one that says why.
 */
export function chatPosterFor(config: ChatConfig, createClient: (region: string) => SNSClient): ChatPoster {
  if (config.topicArn === undefined) {
    return disabledChat('CHAT_TOPIC_ARN is not set: no chat message was posted');
  }
  return snsChat(createClient(topicRegion(config.topicArn)), { topicArn: config.topicArn });
}
