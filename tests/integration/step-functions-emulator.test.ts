// What the emulator's Step Functions can execute, checked on small definitions before the shipped one
// (tests/integration/org-state-machine.test.ts): Lambda tasks answered by handlers in this process through
// the Lambda bridge, inline and Distributed Map, Retry and Catch, and the ResultWriter's files in S3.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LambdaBridge,
  LambdaServiceError,
  startLambdaBridge,
} from '../../scripts/emulator/lambda-bridge.ts';
import { useEmulator } from '../helpers/emulator.ts';
import {
  createStateMachine,
  executionHistory,
  finishedExecution,
  functionArn,
  readJsonObject,
  s3Client,
  sfnClient,
} from '../helpers/step-functions.ts';

const { endpoint } = useEmulator();
const sfn = sfnClient();
const s3 = s3Client();

let bridge: LambdaBridge | undefined;
afterEach(async () => {
  await bridge?.stop();
  bridge = undefined;
});

const doubleTask = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn('double'), 'Payload.$': '$' },
  OutputPath: '$.Payload',
  End: true,
  ...extra,
});

const mapOfThree = (processor: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 2,
      ItemProcessor: { ...processor, StartAt: 'Double', States: { Double: doubleTask() } },
      End: true,
      ...extra,
    },
  },
});

async function run(name: string, definition: unknown, input: unknown) {
  const arn = await createStateMachine(sfn, name, definition);
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }),
  );
  return finishedExecution(sfn, started.executionArn ?? '');
}

describe('the emulator executing Step Functions', () => {
  it('runs an inline Map of three items, each a Lambda task answered by a handler of this process', async () => {
    bridge = await startLambdaBridge(endpoint, {
      double: async (event) => ({ value: (event as { value: number }).value * 2 }),
    });

    const execution = await run('inline-map', mapOfThree({ ProcessorConfig: { Mode: 'INLINE' } }), {
      items: [{ value: 1 }, { value: 2 }, { value: 3 }],
    });

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual([{ value: 2 }, { value: 4 }, { value: 6 }]);
    expect(bridge.invocations.map((call) => call.event)).toHaveLength(3);
  });

  it('runs a Distributed Map whose ResultWriter leaves a manifest and the results file AWS writes', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'map-results' }));
    bridge = await startLambdaBridge(endpoint, {
      double: async (event) => ({ value: (event as { value: number }).value * 2 }),
    });
    const definition = mapOfThree(
      { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      {
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'map-results', Prefix: 'night' },
        },
      },
    );

    const execution = await run('distributed-map', definition, {
      items: [{ value: 1 }, { value: 2 }, { value: 3 }],
    });

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output ?? '') as {
      ResultWriterDetails: { Bucket: string; Key: string };
    };
    expect(output.ResultWriterDetails.Bucket).toBe('map-results');
    expect(output.ResultWriterDetails.Key).toMatch(/^night\/[^/]+\/manifest\.json$/);
    const manifest = (await readJsonObject(s3, 'map-results', output.ResultWriterDetails.Key)) as {
      ResultFiles: { SUCCEEDED: { Key: string }[]; FAILED: unknown[] };
    };
    expect(manifest.ResultFiles.FAILED).toEqual([]);
    const [file] = manifest.ResultFiles.SUCCEEDED;
    const records = (await readJsonObject(s3, 'map-results', file?.Key ?? '')) as {
      Output: string;
      Status: string;
    }[];
    expect(records.map((record) => JSON.parse(record.Output))).toEqual([
      { value: 2 },
      { value: 4 },
      { value: 6 },
    ]);
    expect(records.every((record) => record.Status === 'SUCCEEDED')).toBe(true);
  });

  it('retries a task on a Lambda service error and on a named function error, then catches what is left', async () => {
    const attempts = new Map<number, number>();
    bridge = await startLambdaBridge(endpoint, {
      double: async (event) => {
        const { value } = event as { value: number };
        const attempt = (attempts.get(value) ?? 0) + 1;
        attempts.set(value, attempt);
        if (value === 1 && attempt === 1) throw new LambdaServiceError('TooManyRequestsException');
        if (value === 2 && attempt === 1)
          throw Object.assign(new Error('slow down'), { name: 'AccountThrottledError' });
        if (value === 3) throw new Error('broken for good');
        return { value: value * 2 };
      },
    });
    const task = doubleTask({
      Retry: [
        {
          ErrorEquals: ['Lambda.TooManyRequestsException', 'AccountThrottledError'],
          IntervalSeconds: 1,
          MaxAttempts: 2,
          BackoffRate: 1,
        },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      End: undefined,
      Next: 'Done',
    });
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Double',
            States: {
              Double: task,
              Done: { Type: 'Pass', End: true },
              Failed: { Type: 'Pass', Parameters: { 'failed.$': '$.error.Error' }, End: true },
            },
          },
          End: true,
        },
      },
    };

    const execution = await run('retry-catch', definition, {
      items: [{ value: 1 }, { value: 2 }, { value: 3 }],
    });

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual([{ value: 2 }, { value: 4 }, { failed: 'Error' }]);
    expect(Object.fromEntries(attempts)).toEqual({ 1: 2, 2: 2, 3: 1 });
    const history = await executionHistory(sfn, execution.executionArn ?? '');
    expect(history.filter((event) => event.type === 'TaskFailed')).toHaveLength(3);
  });
});
