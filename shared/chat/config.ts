import { z } from 'zod';
import { type Environment, parseEnvironment, unsetWhenEmpty } from '../kernel/index.ts';

export interface ChatConfig {
  /** The SNS topic chat messages go to (AWS Chatbot, pagers); absent: no chat message is posted. */
  topicArn: string | undefined;
}

// arn:<partition>:sns:<region>:<account>:<name>. A FIFO topic (`.fifo`) is refused: a publish to it needs a
// message group id, and AWS Chatbot subscribes to standard topics.
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

const chatEnvironment = z.object({
  CHAT_TOPIC_ARN: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .trim()
      .refine((value) => !value.endsWith('.fifo'), {
        message: 'must be a standard SNS topic: AWS Chatbot does not read FIFO topics',
      })
      .refine((value) => TOPIC_ARN.test(value), {
        message:
          'must be an SNS topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:key-hygiene-notifications',
      })
      .optional(),
  ),
});

/**
 * Reads the chat settings: the topic every chat message is published to.
 * @throws {ConfigError} naming CHAT_TOPIC_ARN when it is set but not a standard SNS topic ARN.
 */
export function loadChatConfig(environment: Environment): ChatConfig {
  return { topicArn: parseEnvironment(chatEnvironment, environment).CHAT_TOPIC_ARN };
}

/** The region an SNS topic ARN names: `us-east-1` of `arn:aws:sns:us-east-1:…`. */
export function topicRegion(topicArn: string): string {
  return topicArn.split(':')[3] ?? '';
}
