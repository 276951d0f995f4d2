import { z } from 'zod';
import { isoDay } from '../kernel/index.ts';
import { ACCOUNT_ID } from './config.ts';
import type { AccountRunRequest } from './enforce-account.ts';
import { InvalidOrganizationEventError } from './errors.ts';
import type { AccountListing, OrganizationGuard } from './types.ts';

// The events the three organization handlers take: what the state machine passes between its states.
// A dry run can be asked for by the event, never turned off (DRY_RUN=true in the stage always wins).

const night = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date, YYYY-MM-DD' });
const account = z.object({
  accountId: z.string().regex(ACCOUNT_ID, { message: 'must be a 12-digit account id' }),
  name: z.string(),
  alias: z.string().optional(),
});

const listEvent = z.looseObject({ dryRun: z.boolean().optional(), night: night.optional() });
const accountEvent = z.looseObject({
  night,
  dryRun: z.boolean(),
  account,
  forecast: z.boolean().optional(),
});
const listing = z.object({
  night,
  dryRun: z.boolean(),
  accounts: z.array(account),
  skipped: z.array(
    z.object({
      accountId: z.string(),
      name: z.string(),
      reason: z.enum(['excluded', 'not-included', 'suspended']),
    }),
  ),
});
const guard = z.object({ limit: z.number(), planned: z.number(), tripped: z.boolean() });
const digestEvent = z.union([
  z.looseObject({
    night,
    dryRun: z.boolean(),
    listed: listing,
    results: z.array(z.unknown()),
    guard: guard.optional(),
  }),
  z.looseObject({
    night,
    dryRun: z.boolean(),
    listed: listing,
    resultsLocation: z.object({ bucket: z.string(), prefix: z.string() }),
    guard: guard.optional(),
  }),
]);

export interface ListAccountsRequest {
  night: string;
  dryRun: boolean;
}

export type OrganizationDigestEvent = {
  night: string;
  dryRun: boolean;
  listed: AccountListing;
  guard?: OrganizationGuard;
} & ({ results: unknown[] } | { resultsLocation: { bucket: string; prefix: string } });

function parse<Schema extends z.ZodType>(
  schema: Schema,
  event: unknown,
  functionName: string,
): z.output<Schema> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : `event: ${issue.message}`,
  );
  throw new InvalidOrganizationEventError(`Invalid ${functionName} event: ${problems.join('; ')}`);
}

/**
 * The lister's event: `{}` (tonight, a real run), or `{ dryRun, night }` from the state machine.
 * @throws {InvalidOrganizationEventError} naming the bad field.
 */
export function parseListAccountsEvent(event: unknown, now: Date): ListAccountsRequest {
  const parsed = parse(listEvent, event ?? {}, 'orgListAccounts');
  return { night: parsed.night ?? isoDay(now), dryRun: parsed.dryRun ?? false };
}

/**
 * The worker's event: `{ night, dryRun, account: { accountId, name }, forecast? }`.
 * @throws {InvalidOrganizationEventError} naming the bad field.
 */
export function parseAccountEvent(event: unknown): AccountRunRequest {
  const parsed = parse(accountEvent, event, 'orgEnforceAccount');
  return {
    night: parsed.night,
    dryRun: parsed.dryRun,
    account: {
      accountId: parsed.account.accountId,
      name: parsed.account.name,
      ...(parsed.account.alias === undefined ? {} : { alias: parsed.account.alias }),
    },
    ...(parsed.forecast === undefined ? {} : { forecast: parsed.forecast }),
  };
}

/**
 * The digest's event: the listing and the Map's results, inline or where a ResultWriter put them.
 * @throws {InvalidOrganizationEventError} naming the bad field.
 */
export function parseDigestEvent(event: unknown): OrganizationDigestEvent {
  return parse(digestEvent, event, 'orgDigest') as OrganizationDigestEvent;
}
