import { describe, expect, it } from 'vitest';
import { loadChatConfig, topicRegion } from '../../../shared/chat/config.ts';
import { configErrorFrom } from '../../helpers/config-error.ts';

describe('loadChatConfig', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    [
      'arn:aws:sns:us-east-1:123456789012:key-hygiene-prod-notifications',
      'arn:aws:sns:us-east-1:123456789012:key-hygiene-prod-notifications',
    ],
    [
      ' arn:aws:sns:eu-west-1:123456789012:security_alerts ',
      'arn:aws:sns:eu-west-1:123456789012:security_alerts',
    ],
    ['arn:aws-cn:sns:cn-north-1:123456789012:alerts', 'arn:aws-cn:sns:cn-north-1:123456789012:alerts'],
    [
      'arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts',
      'arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts',
    ],
  ])('reads %j as %j', (value, topicArn) => {
    expect(loadChatConfig({ CHAT_TOPIC_ARN: value })).toEqual({ topicArn });
  });

  it.each([
    ['key-hygiene-notifications', 'must be an SNS topic ARN'],
    ['arn:aws:sqs:us-east-1:123456789012:queue', 'must be an SNS topic ARN'],
    ['arn:aws:sns:us-east-1:12345:alerts', 'must be an SNS topic ARN'],
    ['arn:aws:sns:us-east-1:123456789012:alerts:subscription-id', 'must be an SNS topic ARN'],
    ['arn:aws:sns::123456789012:alerts', 'must be an SNS topic ARN'],
    ['arn:aws:sns:us-east-1:123456789012:bad name', 'must be an SNS topic ARN'],
    ['arn:aws:sns:us-east-1:123456789012:alerts\nx', 'must be an SNS topic ARN'],
    ['https://hooks.slack.com/services/T000/B000/XXX', 'must be an SNS topic ARN'],
    [
      'arn:aws:sns:us-east-1:123456789012:alerts.fifo',
      'must be a standard SNS topic: AWS Chatbot does not read FIFO topics',
    ],
  ])('refuses %j, naming CHAT_TOPIC_ARN and the value', (value, problem) => {
    const error = configErrorFrom(() => loadChatConfig({ CHAT_TOPIC_ARN: value }));

    expect(error.message).toContain(`CHAT_TOPIC_ARN: ${problem}`);
    expect(error.message).toContain(JSON.stringify(value));
  });
});

describe('topicRegion', () => {
  it('is the region the ARN names', () => {
    expect(topicRegion('arn:aws:sns:ap-southeast-2:123456789012:alerts')).toBe('ap-southeast-2');
  });
});
