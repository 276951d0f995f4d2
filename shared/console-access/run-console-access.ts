import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditPublisher } from '../audit/index.ts';
import type { CredentialReport } from '../credential-report/index.ts';
import { type AccountName, describeError, IamEntityNotFoundError } from '../kernel/index.ts';
import type { Mailer, RecipientSettings, SendResult } from '../mail/index.ts';
import { auditEvents } from './audit-events.ts';
import type { ConsoleAccount } from './console-iam.ts';
import { renderConsoleDigest } from './notify/console-digest.ts';
import { planConsoleNotices } from './notify/console-notices.ts';
import { sendConsoleNotices } from './notify/send-console-notices.ts';
import { checkConsoleNight, consolePasswordsInReport } from './plan/night-guard.ts';
import { planConsoleAccess } from './plan/plan-console-access.ts';
import { selectConsoleUsersForReview } from './plan/review-selection.ts';
import { removePasswords } from './remove-passwords.ts';
import { type RunSummary, summarize } from './summary.ts';
import type {
  ConsoleAccessFailure,
  ConsoleAccessSettings,
  ConsoleAccessSummary,
  ConsoleMailResult,
  ConsoleRecordChange,
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
  notification: {
    securityTeam: string[];
    recipients: RecipientSettings;
    /** The account the run is about, named in every owner mail and in the digest. */
    account?: AccountName;
  };
}

export interface ConsoleAccessOptions {
  /** The settings, PASSWORD_REMOVALS_PER_NIGHT among them. */
  settings: ConsoleAccessSettings;
  dryRun: boolean;
  /** The decision clock. */
  now: Date;
}

/**
 * The nightly console-access run: credential report -> tags of the users that need a closer look -> plan
 * within the per-night limit -> guard -> records of tonight's first notices -> remove (live re-check first)
 * -> owner mails and their records -> digest, audit events, summary. Clients come in through `deps`, so the
 * same run serves one account or each account of an organization.
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
  const unreadable = new Set(failures.map((failure) => failure.userName));
  const plan = planConsoleAccess({ rows: report.rows, tags, unreadable, settings, now });

  const guard = checkConsoleNight(
    plan.passwords,
    consolePasswordsInReport(report.rows),
    settings.passwordRemovalsPerNight,
  );
  if (guard.tripped) {
    deps.log.warn('Guard tripped: tonight looks wrong rather than busy; acting on none', { ...guard });
  }
  const acting = !dryRun && !guard.tripped;
  // The dates told on first notice are recorded before any mail: an owner who cannot be mailed still
  // holds the password that much longer, not for ever.
  if (acting) failures.push(...(await writeRecords(plan.records, deps.account)));
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
              ...(deps.notification.account === undefined ? {} : { account: deps.notification.account }),
            },
          },
        )
      : [];
  const summary = summarize({ plan, removals, guard, failures, report, dryRun });
  const digest = await sendDigest(summary, owners, ownerMailNote, deps, now);
  const audit = deps.publishAudit
    ? await deps.publishAudit(auditEvents(removals, summary))
    : { skipped: 'no audit publisher configured' };
  const notifications = {
    owners,
    ...(ownerMailNote === undefined ? {} : { ownersNotMailed: ownerMailNote }),
    digest,
  };
  return { ...summary, notifications, audit };
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

/** Writes tonight's records, one TagUser per user; a failure is reported and never stops the others. */
async function writeRecords(
  changes: ConsoleRecordChange[],
  account: ConsoleAccount,
): Promise<ConsoleAccessFailure[]> {
  const failures: ConsoleAccessFailure[] = [];
  for (const change of changes) {
    try {
      await account.tagUser(change.userName, change.set);
    } catch (error: unknown) {
      failures.push({ userName: change.userName, step: change.reason, error: describeError(error) });
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
  return deps.mailer.send(
    renderConsoleDigest(summary, owners, ownerMailNote, now, to, deps.notification.account),
  );
}
