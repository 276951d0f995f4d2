import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditEvent, AuditPublisher } from '../audit/index.ts';
import type { ChatPoster } from '../chat/index.ts';
import type { CredentialReport } from '../credential-report/index.ts';
import { describeError, IamEntityNotFoundError } from '../kernel/index.ts';
import type { Mailer } from '../mail/index.ts';
import { enforcePlan } from './enforcer/enforce-plan.ts';
import { bulkTagPages, type IamAccount } from './iam-account.ts';
import { keyInventoryRecords } from './notify/key-inventory.ts';
import { type NotificationSettings, notifyRun } from './notify/notify-run.ts';
import { type LiveLookSelection, selectLiveLooks } from './plan/live-looks.ts';
import { accessKeysInReport, checkNight } from './plan/night-guard.ts';
import { planKeyActions } from './plan/plan-key-actions.ts';
import { usersOfUnreadableRows } from './plan/report-findings.ts';
import { selectUsersForReview } from './plan/review-selection.ts';
import { summarizeRun } from './summary.ts';
import {
  type EnforcementResult,
  isReactivated,
  type KeyEnforcementSummary,
  type KeyPolicySettings,
  type NightLimits,
  type RunFailure,
  type RunSummary,
  type UserKeyFacts,
} from './types.ts';

/** The part of the service logger a run uses (tests pass a fake). */
export type RunLog = Pick<Logger, 'info' | 'warn'>;

export interface KeyEnforcementDependencies {
  fetchReport: () => Promise<CredentialReport>;
  account: IamAccount;
  /** Absent: no audit events (forecasts from a laptop should not write to a production bus). */
  publishAudit?: AuditPublisher;
  log: RunLog;
  /** The real time of each change, recorded with it. */
  actionTime: () => Date;
  mailer: Mailer;
  notification: NotificationSettings;
  /** Absent: no chat message (forecasts from a laptop should not post to the security team's channel). */
  chat?: ChatPoster;
  /** Given every key of the account with tonight's decision (the digest's CSV records), when present. */
  onKeyInventory?: (records: string[][]) => void;
}

export interface KeyEnforcementOptions {
  settings: KeyPolicySettings;
  dryRun: boolean;
  /** How many keys tonight may deactivate and delete; the rest wait, the most overdue first. */
  limits: NightLimits;
  /** The decision clock. */
  now: Date;
}

/**
 * The nightly run: credential report -> live facts for flagged users only -> plan within the per-night
 * limits -> guard -> act -> summary and audit events.
 * @throws {CredentialReportError} when the report cannot be fetched or read: then nothing is acted on.
 */
export async function runKeyEnforcement(
  deps: KeyEnforcementDependencies,
  options: KeyEnforcementOptions,
): Promise<KeyEnforcementSummary> {
  const report = await deps.fetchReport();
  const candidates = [
    ...new Set([
      ...selectUsersForReview(report.rows, options.settings, options.now),
      ...usersOfUnreadableRows(report.unreadableRows),
    ]),
  ];
  const usersInAccount = report.rows.length + report.unreadableRows.length;
  const tagRead = await readCandidateTags(candidates, usersInAccount, deps);
  const unread = new Set(tagRead.failures.map((failure) => failure.userName));
  const selection = selectLiveLooks({
    rows: report.rows,
    candidates: candidates.filter((userName) => !unread.has(userName)),
    tags: tagRead.tags,
    settings: options.settings,
    now: options.now,
  });
  deps.log.info('Credential report read', {
    generatedAt: report.generatedAt.toISOString(),
    users: report.rows.length,
    unreadableRows: report.unreadableRows.length,
    flagged: candidates.length,
    tagsRead: tagRead.how,
    lookedAtLive: selection.live.length,
    fromRecords: selection.fromRecords.length,
  });

  const loaded = await loadUserFacts(selection.live, deps, options.settings.unusedDays > 0);
  const failures = [...tagRead.failures, ...loaded.failures];
  const plan = planKeyActions({
    rows: report.rows,
    unreadableRows: report.unreadableRows,
    users: loaded.users,
    usersFromRecords: selection.fromRecords,
    upcoming: selection.upcoming,
    settings: options.settings,
    limits: options.limits,
    now: options.now,
  });
  const users = [...loaded.users, ...selection.fromRecords];
  deps.onKeyInventory?.(keyInventoryRecords(report.rows, plan.decisions, options.now));
  const guard = checkNight(plan.decisions, accessKeysInReport(report.rows), options.limits);
  if (guard.tripped) {
    deps.log.warn('Guard tripped: tonight looks wrong rather than busy; acting on none', { ...guard });
  }
  const result = await enforcePlan(plan, {
    account: deps.account,
    dryRun: options.dryRun,
    guard,
    actionTime: deps.actionTime,
    onProgress: (done, total) => {
      if (done === total || done % 25 === 0)
        deps.log.info('Enforcing', { usersDone: done, usersTotal: total });
    },
  });

  const summary = summarizeRun({
    plan,
    result,
    guard,
    dryRun: options.dryRun,
    reportGeneratedAt: report.generatedAt,
    usersInReport: report.rows.length + report.unreadableRows.length,
    usersReviewed: users.length,
    review: {
      lookedAtLive: loaded.users.length,
      fromRecords: selection.fromRecords.length,
      tagsRead: tagRead.how,
      exemptNotLookedAt: selection.exemptUsers,
      exemptKeysNotLookedAt: selection.exemptKeys,
    },
    loadFailures: failures,
  });
  if (deps.mailer.disabledReason !== undefined)
    deps.log.warn('Mail is off', { reason: deps.mailer.disabledReason });
  const notifications = await notifyRun(
    {
      usersInAccount,
      plan,
      result,
      users,
      rows: report.rows,
      summary,
      settings: options.settings,
      dryRun: options.dryRun,
      guard,
    },
    {
      mailer: deps.mailer,
      account: deps.account,
      settings: deps.notification,
      ...(deps.chat === undefined ? {} : { chat: deps.chat }),
    },
  );
  if (notifications.chat.failed.length > 0) {
    deps.log.warn('Chat messages not posted', { chat: notifications.chat });
  }
  const audit = deps.publishAudit
    ? await deps.publishAudit(auditEvents(result, summary, options.dryRun))
    : { skipped: 'no audit publisher configured' };
  return { ...summary, notifications, audit };
}

/**
 * The candidates' tags, the cheaper way: in bulk (GetAccountAuthorizationDetails, a request per 1,000
 * users) when there are more candidates than that takes requests, else one ListUserTags each. A bulk read
 * that fails is reported and the candidates' tags are then read with their keys, user by user.
 */
async function readCandidateTags(
  candidates: string[],
  usersInAccount: number,
  deps: KeyEnforcementDependencies,
): Promise<{ tags: Map<string, Record<string, string>>; how: TagRead; failures: RunFailure[] }> {
  const tags = new Map<string, Record<string, string>>();
  if (candidates.length === 0) return { tags, how: 'none', failures: [] };
  if (candidates.length > bulkTagPages(usersInAccount)) {
    try {
      const all = await deps.account.userTagsInBulk();
      for (const userName of candidates) {
        const userTags = all.get(userName);
        if (userTags !== undefined) tags.set(userName, userTags);
      }
      return { tags, how: 'in bulk', failures: [] };
    } catch (error: unknown) {
      deps.log.warn('Tags could not be read in bulk; reading them user by user', {
        error: describeError(error),
      });
      const failure = {
        step: 'read tags in bulk (users read one by one instead)',
        error: describeError(error),
      };
      return { tags, how: 'user by user', failures: [failure] };
    }
  }
  const failures: RunFailure[] = [];
  for (const userName of candidates) {
    try {
      tags.set(userName, await deps.account.listUserTags(userName));
    } catch (error: unknown) {
      // Deleted since the report was generated: nothing left to judge.
      if (error instanceof IamEntityNotFoundError) continue;
      failures.push({ userName, step: 'load keys and tags', error: describeError(error) });
    }
  }
  // A user whose tags could not be read is a failure, and left out tonight: judged without them, an
  // exemption would be lost.
  return { tags, how: 'user by user', failures };
}

/** How tonight's candidates' tags were read. */
export type TagRead = 'none' | 'in bulk' | 'user by user';

async function loadUserFacts(
  looks: LiveLookSelection['live'],
  deps: KeyEnforcementDependencies,
  withLastUse: boolean,
): Promise<{ users: UserKeyFacts[]; failures: RunFailure[] }> {
  const users: UserKeyFacts[] = [];
  const failures: RunFailure[] = [];
  for (const { userName, tags: known } of looks) {
    try {
      const liveKeys = await deps.account.listAccessKeys(userName);
      const tags = known ?? (await deps.account.listUserTags(userName));
      const facts: UserKeyFacts = { userName, liveKeys, tags };
      if (withLastUse) {
        const active = liveKeys.filter((key) => key.status === 'Active');
        facts.lastUse = [];
        for (const key of active) {
          facts.lastUse.push({
            accessKeyId: key.accessKeyId,
            lastUsedDate: await deps.account.lastUsed(key.accessKeyId),
          });
        }
      }
      users.push(facts);
    } catch (error: unknown) {
      // Deleted since the report was generated: nothing left to judge.
      if (error instanceof IamEntityNotFoundError) continue;
      failures.push({ userName, step: 'load keys and tags', error: describeError(error) });
    }
  }
  return { users, failures };
}

function auditEvents(result: EnforcementResult, summary: RunSummary, dryRun: boolean): AuditEvent[] {
  const actions: AuditEvent[] = result.keys
    .filter((key) => key.outcome === 'done')
    .map(({ decision, actedAt }) => ({
      detailType: decision.decision === 'deactivate' ? 'AccessKeyDeactivated' : 'AccessKeyDeleted',
      time: actedAt,
      detail: {
        userName: decision.userName,
        accessKeyId: decision.accessKeyId,
        createDate: decision.createDate.toISOString(),
        ageDays: decision.ageDays,
        reason: decision.reason,
        ...(decision.deactivationRule ? { rule: decision.deactivationRule } : {}),
        ...(decision.inactiveSince ? { inactiveSince: decision.inactiveSince.toISOString() } : {}),
        actedAt: actedAt?.toISOString(),
      },
    }));
  const reactivations: AuditEvent[] = [...result.keys]
    .filter(({ decision }) => isReactivated(decision))
    .map(({ decision, outcome }) => ({
      detailType: 'AccessKeyReactivationFound',
      detail: {
        userName: decision.userName,
        accessKeyId: decision.accessKeyId,
        firstDeactivatedAt: decision.inactiveSince?.toISOString(),
        deletionDate: decision.deletionDate?.toISOString(),
        decision: decision.decision,
        outcome,
        reason: decision.reason,
      },
    }));
  const run: AuditEvent = {
    detailType: 'KeyEnforcementRunCompleted',
    detail: {
      dryRun,
      decidedAt: summary.decidedAt,
      reportGeneratedAt: summary.reportGeneratedAt,
      usersInReport: summary.usersInReport,
      usersReviewed: summary.usersReviewed,
      guard: summary.guard,
      budget: summary.budget,
      decisions: summary.decisions,
      outcomes: summary.outcomes,
      failures: summary.failures.length,
      findings: summary.findings.map((finding) => ({ severity: finding.severity, subject: finding.subject })),
    },
  };
  return [...actions, ...reactivations, run];
}
