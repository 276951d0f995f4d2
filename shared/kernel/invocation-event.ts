import { z } from 'zod';
import { InvalidEventError } from './errors.ts';

// A schedule sends its own payload (or `{}`); a person invoking by hand may ask for a dry run. A dry run
// can be asked for, never turned off, by the event: DRY_RUN=true in the stage always wins.
const dryRunEvent = z.looseObject({
  dryRun: z.boolean({ message: 'must be true or false' }).optional(),
});

export interface DryRunRequest {
  dryRun: boolean;
}

/**
 * Reads the event of a scheduled function: no event, a schedule's payload, or `{"dryRun": true}`.
 * @throws {InvalidEventError} naming the function and the bad field.
 */
export function parseDryRunEvent(event: unknown, functionName: string): DryRunRequest {
  if (event === null || event === undefined || event === '') return { dryRun: false };
  const result = dryRunEvent.safeParse(event);
  if (!result.success) {
    const problems = result.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : `event: ${issue.message}`,
    );
    throw new InvalidEventError(`Invalid ${functionName} event: ${problems.join('; ')}`);
  }
  return { dryRun: result.data.dryRun ?? false };
}

/** The part of a Lambda context that says where the function runs. */
export interface InvokedFunction {
  /** `arn:<partition>:lambda:<region>:<account>:function:<name>`; absent under `serverless invoke local`. */
  invokedFunctionArn?: string;
}

/**
 * The account and partition a function runs in, from its invoked ARN; each `undefined` when the invoker
 * gave no ARN or a malformed one (`serverless invoke local` passes none). Pure.
 */
export function invokedIn(context: InvokedFunction): { accountId?: string; partition?: string } {
  const [arn, partition, service, , accountId] = context.invokedFunctionArn?.split(':') ?? [];
  if (arn !== 'arn' || service !== 'lambda') return {};
  return {
    ...(accountId !== undefined && /^\d{12}$/.test(accountId) ? { accountId } : {}),
    ...(partition ? { partition } : {}),
  };
}
