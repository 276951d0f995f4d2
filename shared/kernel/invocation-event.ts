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
