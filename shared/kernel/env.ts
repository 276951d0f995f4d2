import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { IAM_TAG_CHARACTERS, IAM_TAG_KEY } from './iam-names.ts';
import { parseIsoInstant } from './time.ts';

/** The process environment, or any stand-in for it. */
export type Environment = Record<string, string | undefined>;

// An empty variable counts as unset, so `FOO=` in a .env file means "use the default".
export const unsetWhenEmpty = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** An optional whole number within [min, max]. */
export const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(/^\s*\d+\s*$/, { message: `must be a whole number from ${min} to ${max}` })
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .optional(),
  );

/** An optional `true` / `false`, case and spaces ignored. */
export const flag = z.preprocess(
  (value) => (typeof value === 'string' ? unsetWhenEmpty(value.trim().toLowerCase()) : value),
  z.enum(['true', 'false'], { message: "must be 'true' or 'false'" }).optional(),
);

/** An optional ISO 8601 date or zoned timestamp, read as an instant. */
export const isoTimestamp = z.preprocess(
  unsetWhenEmpty,
  z
    .string()
    .transform((value, context) => {
      const instant = parseIsoInstant(value);
      if (instant === undefined) {
        context.addIssue({
          code: 'custom',
          message:
            'must be a real ISO 8601 date or timestamp with a time zone, e.g. 2026-12-24 or 2026-12-24T03:00:00Z',
        });
        return z.NEVER;
      }
      return instant;
    })
    .optional(),
);

/** An optional IAM tag key. */
export const tagName = z.preprocess(
  unsetWhenEmpty,
  z
    .string()
    .max(128, 'must be at most 128 characters (the IAM tag key limit)')
    .regex(IAM_TAG_KEY, `may hold only ${IAM_TAG_CHARACTERS}`)
    .optional(),
);

/** An optional EventBridge bus name of this account and region. */
export const eventBusName = z.preprocess(
  unsetWhenEmpty,
  z
    .string()
    .max(256, 'must be at most 256 characters')
    // A name, not an ARN: the deployed policy grants PutEvents on this bus of the function's own account.
    .regex(
      /^[A-Za-z0-9/._-]+$/,
      'must be an event bus name of this account and region (letters, digits, / . _ -)',
    )
    .optional(),
);

/** A comma-separated list, items trimmed and empty items dropped; no item at all reads as unset. */
export const commaList = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length === 0 ? undefined : items;
};

/**
 * Validates the environment against a schema of variables.
 * @throws {ConfigError} naming every bad variable with what it must be and what it was.
 */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  environment: Environment,
): z.output<Schema> {
  const result = schema.safeParse(environment);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const value = environment[variable];
    return `${variable}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/** An optional comma-separated list of whole days, e.g. `14,7,1`: read without repeats, largest first. */
export const dayList = z.preprocess(
  unsetWhenEmpty,
  z
    .string()
    .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, {
      message: 'must be a comma-separated list of whole days, e.g. 14,7,1',
    })
    .transform((value) => [...new Set(value.split(',').map(Number))].sort((a, b) => b - a))
    .optional(),
);

/**
 * The clock KEY_HYGIENE_NOW sets, which only a run that changes nothing may use: a past value would
 * back-date what the service records, a future one act early. `changes` says what a real run changes.
 * @throws {ConfigError} naming KEY_HYGIENE_NOW when it is set without DRY_RUN=true.
 */
export function dryRunClock(now: Date | undefined, dryRun: boolean, changes: string): Date | undefined {
  if (now !== undefined && !dryRun) {
    throw new ConfigError(
      `Invalid configuration: KEY_HYGIENE_NOW (${now.toISOString()}) is allowed only with DRY_RUN=true: a run that changes ${changes} decides by the real clock (for a forecast use npm run plan -- --at <date>)`,
    );
  }
  return now;
}
