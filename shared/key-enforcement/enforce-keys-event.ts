import { z } from 'zod';

/** The invocation event is malformed; nothing was done. */
export class InvalidEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

// A schedule sends its own payload (or `{}`); a person invoking by hand may ask for a dry run. A dry run
// can be asked for, never turned off, by the event: DRY_RUN=true in the stage always wins.
const enforceKeysEvent = z.looseObject({
  dryRun: z.boolean({ message: 'must be true or false' }).optional(),
});

export interface EnforceKeysRequest {
  dryRun: boolean;
}

/**
 * Reads the enforceKeys invocation event.
 * @throws {InvalidEventError} naming the bad field.
 */
export function parseEnforceKeysEvent(event: unknown): EnforceKeysRequest {
  if (event === null || event === undefined || event === '') return { dryRun: false };
  const result = enforceKeysEvent.safeParse(event);
  if (!result.success) {
    const problems = result.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : `event: ${issue.message}`,
    );
    throw new InvalidEventError(`Invalid enforceKeys event: ${problems.join('; ')}`);
  }
  return { dryRun: result.data.dryRun ?? false };
}
