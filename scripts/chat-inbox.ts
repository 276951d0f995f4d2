import { SNSClient, type SNSClientConfig, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { ChatbotNotification } from '../shared/chat/index.ts';

/** One message as AWS Chatbot would receive it: the raw SNS message body, and what it reads as. */
export interface ReceivedChatMessage {
  body: string;
  notification: ChatbotNotification;
}

export interface ChatInbox {
  /**
   * Reads what the topic delivered since the last read: receives until `expected` messages have arrived (a
   * few tries at most), then once more, so that a message beyond the expected is seen too.
   */
  received(expected: number): Promise<ReceivedChatMessage[]>;
}

/**
 * Stands in for AWS Chatbot on an emulated account: an SQS queue subscribed to the chat topic with raw
 * message delivery, so what arrives is exactly the message body Chatbot would read.
 */
export async function subscribeChatInbox(
  topicArn: string,
  config: Pick<SNSClientConfig, 'endpoint' | 'region' | 'credentials'> = {},
  queueName = 'chat-inbox',
): Promise<ChatInbox> {
  const sqs = new SQSClient(config);
  // A message read once stays hidden (12 hours, SQS's longest): each read returns what is new.
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: '43200' } }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await new SNSClient(config).send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return {
    async received(expected) {
      const bodies: string[] = [];
      const receive = async () => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
        bodies.push(...(Messages ?? []).map((message) => message.Body ?? ''));
        return (Messages ?? []).length;
      };
      for (let attempt = 0; attempt < 5 && bodies.length < expected; attempt += 1) await receive();
      while ((await receive()) > 0);
      return bodies.map((body) => ({ body, notification: JSON.parse(body) as ChatbotNotification }));
    },
  };
}

/**
 * A message as plain text for a terminal, roughly as a chat client lays it out: the title, the description,
 * the next steps as a list, the keywords as tags.
 */
export function chatMessageText({ content }: ChatbotNotification): string {
  const lines = [content.title, ...content.description.split('\n').map((line) => `  ${line}`)];
  for (const step of content.nextSteps ?? []) lines.push(`  - ${step}`);
  if (content.keywords !== undefined)
    lines.push(`  ${content.keywords.map((keyword) => `[${keyword}]`).join(' ')}`);
  return lines.join('\n');
}
