import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { inject } from 'vitest';

const CLIENT_SETTINGS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
};

/** A Step Functions client bound to the emulator. */
export const sfnClient = (endpoint: string = inject('emulatorEndpoint')) =>
  new SFNClient({ ...CLIENT_SETTINGS, endpoint });

/** An S3 client bound to the emulator (path-style: moto serves every bucket on one host). */
export const s3Client = (endpoint: string = inject('emulatorEndpoint')) =>
  new S3Client({ ...CLIENT_SETTINGS, endpoint, forcePathStyle: true });

/** The emulator's account: moto's default. */
export const EMULATOR_ACCOUNT = '123456789012';

/** The ARN the emulator gives a Lambda function of this name (the bridge answers it whatever exists). */
export const functionArn = (name: string) => `arn:aws:lambda:us-east-1:${EMULATOR_ACCOUNT}:function:${name}`;

/** Creates a state machine from an ASL definition object and returns its ARN. */
export async function createStateMachine(sfn: SFNClient, name: string, definition: unknown): Promise<string> {
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name,
      definition: JSON.stringify(definition),
      roleArn: `arn:aws:iam::${EMULATOR_ACCOUNT}:role/${name}-role`,
    }),
  );
  if (created.stateMachineArn === undefined) throw new Error('CreateStateMachine returned no ARN');
  return created.stateMachineArn;
}

/**
 * Waits until an execution has ended (moto runs it on a thread of its own) and returns its description.
 * Polls without a fixed budget per step, so a busy machine only makes it slower; the test's timeout bounds it.
 */
export async function finishedExecution(
  sfn: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every event of an execution's history, in order. */
export async function executionHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/** An S3 object's body, parsed as JSON. */
export async function readJsonObject(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await object.Body?.transformToString()) ?? 'null');
}
