import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export interface DeliveredEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
}

export interface AuditCapture {
  /** Reads what the bus delivered, waiting (a few receives) until `expected` events have arrived. */
  received(expected: number): Promise<{ events: DeliveredEvent[]; bodies: string[] }>;
}

/**
 * Creates an event bus in the emulator with a rule sending the service's events (source `key-hygiene`) to
 * an SQS queue, so a test can read back what a handler published.
 */
export async function captureAuditEvents(
  endpoint: string,
  busName = 'security-audit',
): Promise<AuditCapture> {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  await events.send(new CreateEventBusCommand({ Name: busName }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${busName}-capture` }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await events.send(
    new PutRuleCommand({
      Name: 'capture',
      EventBusName: busName,
      EventPattern: JSON.stringify({ source: ['key-hygiene'] }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'capture',
      EventBusName: busName,
      Targets: [{ Id: 'queue', Arn: Attributes?.QueueArn }],
    }),
  );
  return {
    async received(expected) {
      const bodies: string[] = [];
      for (let attempt = 0; attempt < 5 && bodies.length < expected; attempt += 1) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
        bodies.push(...(Messages ?? []).map((message) => message.Body ?? ''));
      }
      return { bodies, events: bodies.map((body) => JSON.parse(body) as DeliveredEvent) };
    },
  };
}
