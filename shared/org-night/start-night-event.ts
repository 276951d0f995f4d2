import { z } from 'zod';
import { parseIsoInstant } from '../kernel/index.ts';
import { OrgNightError } from './errors.ts';
import type { StartNightRequest } from './types.ts';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date, YYYY-MM-DD' })
  .refine((value) => parseIsoInstant(value) !== undefined, { message: 'is not a calendar day' });

// The schedule sends { scheduledTime: "<aws.scheduler.scheduled-time>" }; a person sends { rerun: true,
// night: "2026-11-30" } or { dryRun: true }.
const startNightEvent = z.looseObject({
  scheduledTime: z
    .string()
    .refine((value) => parseIsoInstant(value) !== undefined, { message: 'must be an ISO 8601 timestamp' })
    .optional(),
  night: day.optional(),
  rerun: z.boolean({ message: 'must be true or false' }).optional(),
  dryRun: z.boolean({ message: 'must be true or false' }).optional(),
});

/** The event of the starter was malformed; nothing was started. */
export class InvalidStartNightEventError extends OrgNightError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidStartNightEventError';
  }
}

/**
 * Reads the starter's event: the schedule's, or one a person sends.
 * @throws {InvalidStartNightEventError} naming the bad field.
 */
export function parseStartNightEvent(event: unknown): StartNightRequest {
  const result = startNightEvent.safeParse(event ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : `event: ${issue.message}`,
    );
    throw new InvalidStartNightEventError(`Invalid orgStartNight event: ${problems.join('; ')}`);
  }
  const { scheduledTime, night, rerun, dryRun } = result.data;
  return {
    ...(night === undefined ? {} : { night }),
    ...(scheduledTime === undefined ? {} : { scheduledTime: parseIsoInstant(scheduledTime) as Date }),
    rerun: rerun ?? false,
    dryRun: dryRun ?? false,
  };
}
