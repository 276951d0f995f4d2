import {
  ExecutionAlreadyExists,
  paginateListExecutions,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describeError } from '../kernel/index.ts';
import { ExecutionsUnavailableError } from './errors.ts';
import type { ExecutionStatus, NightExecution, NightExecutions } from './types.ts';

/** The Step Functions actions this adapter calls; the starter's role grants them on its state machine only. */
export const NIGHT_EXECUTIONS_SFN_ACTIONS = ['states:ListExecutions', 'states:StartExecution'] as const;

/**
 * The organization state machine's executions, through Step Functions.
 * Errors other than a taken name become ExecutionsUnavailableError.
 */
export function stepFunctionsExecutions(client: SFNClient, stateMachineArn: string): NightExecutions {
  return {
    async list() {
      const executions: NightExecution[] = [];
      try {
        for await (const page of paginateListExecutions({ client }, { stateMachineArn })) {
          for (const execution of page.executions ?? []) {
            if (execution.name === undefined || execution.executionArn === undefined) continue;
            executions.push({
              name: execution.name,
              arn: execution.executionArn,
              status: (execution.status ?? 'RUNNING') as ExecutionStatus,
            });
          }
        }
      } catch (error: unknown) {
        throw new ExecutionsUnavailableError(
          `Could not list the executions of ${stateMachineArn}: ${describeError(error)}`,
          { cause: error },
        );
      }
      return executions;
    },

    async start(name, input) {
      try {
        const started = await client.send(
          new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
        );
        return { arn: started.executionArn ?? '', outcome: 'started' };
      } catch (error: unknown) {
        // Names are unique per state machine for 90 days: someone (a second delivery) started it first.
        if (error instanceof ExecutionAlreadyExists) {
          const arn = stateMachineArn.replace(':stateMachine:', ':execution:');
          return { arn: `${arn}:${name}`, outcome: 'exists' };
        }
        throw new ExecutionsUnavailableError(
          `Could not start execution ${name} of ${stateMachineArn}: ${describeError(error)}`,
          { cause: error },
        );
      }
    },
  };
}
