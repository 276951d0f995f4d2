import type { Logger } from '@aws-lambda-powertools/logger';
import { describeError } from '../kernel/index.ts';
import type { Mailer, SendResult } from '../mail/index.ts';
import {
  type OrganizationTotals,
  organizationTotals,
  renderOrganizationDigest,
} from './organization-digest.ts';
import type { AccountRunResult, OrganizationGuard, SkippedAccount } from './types.ts';

export interface OrganizationDigestDependencies {
  mailer: Mailer;
  securityTeam: string[];
  /** Reads an inventory a worker stored (`keysCsvKey`); absent: only inline inventories are used. */
  readInventory?: (key: string) => Promise<string[][]>;
  log: Pick<Logger, 'warn'>;
}

export interface OrganizationDigestRequest {
  night: string;
  dryRun: boolean;
  results: AccountRunResult[];
  skipped: SkippedAccount[];
  guard?: OrganizationGuard;
}

/** What the digest step returns: the night's totals, the failed accounts, and what became of the mail. */
export interface OrganizationRunSummary {
  night: string;
  dryRun: boolean;
  totals: OrganizationTotals;
  failed: { accountId: string; kind: string; message: string }[];
  guard?: OrganizationGuard;
  mail: SendResult;
}

/**
 * Builds the organization digest from every account's result and mails it to the security team. Never
 * throws for mail or a missing inventory: both are reported (the night's work is done by then).
 */
export async function sendOrganizationDigest(
  deps: OrganizationDigestDependencies,
  request: OrganizationDigestRequest,
): Promise<OrganizationRunSummary> {
  const totals = organizationTotals(request.results, request.skipped);
  const summary: Omit<OrganizationRunSummary, 'mail'> = {
    night: request.night,
    dryRun: request.dryRun,
    totals,
    failed: request.results.flatMap((result) =>
      result.failure === undefined
        ? []
        : [{ accountId: result.accountId, kind: result.failure.kind, message: result.failure.message }],
    ),
    ...(request.guard === undefined ? {} : { guard: request.guard }),
  };
  if (deps.mailer.disabledReason !== undefined) {
    return { ...summary, mail: { status: 'skipped', reason: deps.mailer.disabledReason } };
  }
  if (deps.securityTeam.length === 0) {
    return { ...summary, mail: { status: 'skipped', reason: 'SECURITY_TEAM_EMAILS is not set' } };
  }
  const inventories = new Map<string, string[][]>();
  for (const result of request.results) {
    if (result.keys !== undefined) inventories.set(result.accountId, result.keys);
    else if (result.keysCsvKey !== undefined && deps.readInventory !== undefined) {
      try {
        inventories.set(result.accountId, await deps.readInventory(result.keysCsvKey));
      } catch (error: unknown) {
        deps.log.warn('An account inventory could not be read: its keys are missing from the CSV', {
          accountId: result.accountId,
          error: describeError(error),
        });
      }
    }
  }
  const mail = await deps.mailer.send(
    renderOrganizationDigest({ ...request, inventories, to: deps.securityTeam }),
  );
  return { ...summary, mail };
}
