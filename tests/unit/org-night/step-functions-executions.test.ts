import {
  ExecutionAlreadyExists,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExecutionsUnavailableError, stepFunctionsExecutions } from '../../../shared/org-night/index.ts';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:org';
const sfn = mockClient(SFNClient);
const executions = () => stepFunctionsExecutions(new SFNClient({ region: 'us-east-1' }), ARN);

beforeEach(() => sfn.reset());

describe('stepFunctionsExecutions', () => {
  it('lists every page of executions', async () => {
    sfn
      .on(ListExecutionsCommand, { stateMachineArn: ARN, nextToken: undefined })
      .resolves({
        executions: [{ name: 'night-2026-11-29', executionArn: 'a1', status: 'SUCCEEDED' } as never],
        nextToken: 'more',
      })
      .on(ListExecutionsCommand, { stateMachineArn: ARN, nextToken: 'more' })
      .resolves({
        executions: [{ name: 'night-2026-11-30', executionArn: 'a2', status: 'RUNNING' } as never],
      });

    expect(await executions().list()).toEqual([
      { name: 'night-2026-11-29', arn: 'a1', status: 'SUCCEEDED' },
      { name: 'night-2026-11-30', arn: 'a2', status: 'RUNNING' },
    ]);
  });

  it('starts an execution with the night as its JSON input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });

    expect(await executions().start('night-2026-11-30', { night: '2026-11-30', dryRun: false })).toEqual({
      arn: 'arn:x',
      outcome: 'started',
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: ARN,
      name: 'night-2026-11-30',
      input: '{"night":"2026-11-30","dryRun":false}',
    });
  });

  it('reports a taken name as an existing execution', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'taken', $metadata: {} }));

    expect(await executions().start('night-2026-11-30', { night: '2026-11-30', dryRun: false })).toEqual({
      arn: 'arn:aws:states:us-east-1:123456789012:execution:org:night-2026-11-30',
      outcome: 'exists',
    });
  });

  it('translates any other failure, naming the state machine', async () => {
    sfn.on(ListExecutionsCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));

    await expect(executions().list()).rejects.toThrow(ExecutionsUnavailableError);
    await expect(executions().start('n', { night: '2026-11-30', dryRun: false })).rejects.toThrow(ARN);
  });
});
