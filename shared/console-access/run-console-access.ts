import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditPublisher } from '../audit/index.ts';
import type { CredentialReport } from '../credential-report/index.ts';
import { describeError, IamEntityNotFoundError } from '../kernel/index.ts';
import type { Mailer, RecipientSettings, SendResult } from '../mail/index.ts';
import { auditEvents } from './audit-events.ts';
import type { ConsoleAccount } from './console-iam.ts';
import { NO_MFA_TAG, noMfaValue, readNoMfa } from './console-records.ts';
import { renderConsoleDigest } from './notify/console-digest.ts';
import { planConsoleNotices } from './notify/console-notices.ts';
import { sendConsoleNotices } from './notify/send-console-notices.ts';
import { planConsoleAccess } from './plan/plan-console-access.ts';
import { selectConsoleUsersForReview } from './plan/review-selection.ts';
import { checkRemovalGuard, removePasswords } from './remove-passwords.ts';
import { type RunSummary, summarize } from './summary.ts';
import type {
  ConsoleAccessFailure,
  ConsoleAccessPlan,
  ConsoleAccessSettings,
  ConsoleAccessSummary,
  ConsoleMailResult,
} from './types.ts';

export interface ConsoleAccessDependencies {
  fetchReport: () => Promise<CredentialReport>;
  account: ConsoleAccount;
  /** Absent: no audit events (a forecast from a laptop should not write to a production bus). */
  publishAudit?: AuditPublisher;
  log: Pick<Logger, 'info' | 'warn'>;
  /** The real time of each removal, recorded with it. */
  actionTime: () => Date;
  mailer: Mailer;
  notification: { securityTeam: string[]; recipients: RecipientSettings };
}

export interface ConsoleAccessOptions {
  settings: ConsoleAccessSettings;
  dryRun: boolean;
  maxActionsPerRun: number;
  /** The decision clock. */
  now: Date;
}

/**
 * The nightly console-access run: credential report -> tags of the users that need a closer look -> plan ->
 * guard -> remove (live re-check first) -> owner mails and records -> digest, audit events, summary.
 * Clients come in through `deps`, so the same run serves one account or each account of an organization.
 * @throws {CredentialReportError} when the report cannot be fetched or read: then nothing is acted on.
 */
export async function runConsoleAccess(
  deps: ConsoleAccessDependencies,
  options: ConsoleAccessOptions,
): Promise<ConsoleAccessSummary> {
  const { settings, now, dryRun } = options;
  const report = await deps.fetchReport();
  const selected = selectConsoleUsersForReview(report.rows, settings, now);
  deps.log.info('Credential report read', { users: report.rows.length, reviewed: selected.length });
  const { tags, failures } = await loadTags(selected, deps.account);
  const plan = withoutUnreadable(planConsoleAccess({ rows: report.rows, tags, settings, now }), failures);

  const guard = checkRemovalGuard(plan, options.maxActionsPerRun);
  if (guard.tripped)
    deps.log.warn('Guard tripped: more password removals due than allowed; removing none', { ...guard });
  if (!dryRun && !guard.tripped)
    failures.push(...(await recordFirstSeenWithoutMfa(plan, tags, deps.account, now)));
  const removals = await removePasswords(plan, {
    account: deps.account,
    dryRun,
    guard,
    actionTime: deps.actionTime,
  });

  const ownerMailNote = dryRun ? 'dry run' : guard.tripped ? 'the guard tripped' : undefined;
  const owners =
    ownerMailNote === undefined
      ? await sendConsoleNotices(
          planConsoleNotices({ plan, removals, tags, recipients: deps.notification.recipients, now }),
          {
            mailer: deps.mailer,
            account: deps.account,
            context: {
              contacts: deps.notification.securityTeam,
              exemptTag: settings.exemptTag,
              passwordUnusedDays: settings.passwordUnusedDays,
              mfaReminderDays: settings.mfaReminderDays,
              now,
            },
          },
        )
      : [];
  const summary = summarize(plan, removals, guard, failures, report, dryRun);
  const digest = await sendDigest(summary, owners, ownerMailNote, deps, now);
  const audit = deps.publishAudit
    ? await deps.publishAudit(auditEvents(removals, summary))
    : { skipped: 'no audit publisher configured' };
  return { ...summary, notifications: { owners, digest }, audit };
}

async function loadTags(
  userNames: string[],
  account: ConsoleAccount,
): Promise<{ tags: Map<string, Record<string, string>>; failures: ConsoleAccessFailure[] }> {
  const tags = new Map<string, Record<string, string>>();
  const failures: ConsoleAccessFailure[] = [];
  for (const userName of userNames) {
    try {
      tags.set(userName, await account.listUserTags(userName));
    } catch (error: unknown) {
      // Deleted since the report was generated: nothing left to judge.
      if (error instanceof IamEntityNotFoundError) continue;
      failures.push({ userName, step: 'read tags', error: describeError(error) });
    }
  }
  return { tags, failures };
}

/** A user whose tags could not be read is held: an exemption or a record may be among them. */
function withoutUnreadable(plan: ConsoleAccessPlan, failures: ConsoleAccessFailure[]): ConsoleAccessPlan {
  const unreadable = new Set(failures.map((failure) => failure.userName));
  if (unreadable.size === 0) return plan;
  return {
    ...plan,
    passwords: plan.passwords.map((decision) =>
      unreadable.has(decision.userName) && decision.decision !== 'none'
        ? { ...decision, decision: 'skip', reason: `its tags could not be read; held: ${decision.reason}` }
        : decision,
    ),
    mfa: plan.mfa.filter((finding) => !unreadable.has(finding.userName)),
  };
}

/** Records the first night each console user is seen without MFA, so the digest can say for how long. */
async function recordFirstSeenWithoutMfa(
  plan: ConsoleAccessPlan,
  tags: Map<string, Record<string, string>>,
  account: ConsoleAccount,
  now: Date,
): Promise<ConsoleAccessFailure[]> {
  const failures: ConsoleAccessFailure[] = [];
  for (const finding of plan.mfa) {
    const userTags = tags.get(finding.userName);
    if (userTags === undefined || readNoMfa(userTags) !== undefined) continue;
    try {
      await account.tagUser(finding.userName, { [NO_MFA_TAG]: noMfaValue({ since: now }) });
    } catch (error: unknown) {
      failures.push({
        userName: finding.userName,
        step: 'record first seen without MFA',
        error: describeError(error),
      });
    }
  }
  return failures;
}

async function sendDigest(
  summary: RunSummary,
  owners: ConsoleMailResult[],
  ownerMailNote: string | undefined,
  deps: ConsoleAccessDependencies,
  now: Date,
): Promise<SendResult> {
  const to = deps.notification.securityTeam;
  if (to.length === 0) return { status: 'skipped', reason: 'SECURITY_TEAM_EMAILS is not set' };
  return deps.mailer.send(renderConsoleDigest(summary, owners, ownerMailNote, now, to));
}
