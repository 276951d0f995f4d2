import { z } from 'zod';
import { InvalidEventError } from '../key-enforcement/enforce-keys-event.ts';

// A schedule sends its own payload (or `{}`); a person invoking by hand may ask for a dry run. The event
// can ask for a dry run, never turn DRY_RUN=true off.
const enforcePasswordPolicyEvent = z.looseObject({
  dryRun: z.boolean({ message: 'must be true or false' }).optional(),
});

export interface EnforcePasswordPolicyRequest {
  dryRun: boolean;
}

/**
 * Reads the enforcePasswordPolicy invocation event.
 * @throws {InvalidEventError} naming the bad field.
 */
export function parseEnforcePasswordPolicyEvent(event: unknown): EnforcePasswordPolicyRequest {
  if (event === null || event === undefined || event === '') return { dryRun: false };
  const result = enforcePasswordPolicyEvent.safeParse(event);
  if (!result.success) {
    const problems = result.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : `event: ${issue.message}`,
    );
    throw new InvalidEventError(`Invalid enforcePasswordPolicy event: ${problems.join('; ')}`);
  }
  return { dryRun: result.data.dryRun ?? false };
}
