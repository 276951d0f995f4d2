import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditEvent, AuditPublisher, AuditPublishResult } from '../audit/index.ts';
import { type ChatPoster, type ChatReport, postChatMessages } from '../chat/index.ts';
import { describeError } from '../kernel/index.ts';
import type { Mailer, SendResult } from '../mail/index.ts';
import type { PasswordPolicyStore } from './iam-password-policy.ts';
import { passwordPolicyChatMessage } from './policy-chat.ts';
import { renderPolicyMail } from './policy-mail.ts';
import type { PasswordPolicyOutcome, PasswordPolicyReport } from './report.ts';
import { policyDrift, stricterPolicy } from './stricter-policy.ts';
import type { PasswordPolicy } from './types.ts';

export const PASSWORD_POLICY_UPDATED = 'PasswordPolicyUpdated';

export interface PasswordPolicyDependencies {
  policies: PasswordPolicyStore;
  /** Absent: no audit event. */
  publishAudit?: AuditPublisher;
  mailer: Mailer;
  /** Who is told about a change; empty: nobody is mailed. */
  securityTeam: string[];
  /** Absent: no chat message. */
  chat?: ChatPoster;
  log: Pick<Logger, 'info' | 'warn'>;
  clock: () => Date;
}

export interface PasswordPolicyOptions {
  baseline: PasswordPolicy;
  /** Report the drift and mail it; write nothing, publish nothing. */
  dryRun: boolean;
  /** The AWS account, named in the report and the mail. */
  account?: string;
}

/**
 * Holds the account password policy at the baseline without ever loosening it: reads the policy, keeps
 * the stricter of it and the baseline field by field, and writes the whole policy only when a field
 * differs. On a change it publishes `PasswordPolicyUpdated`, mails the security team and posts to chat; a
 * failure of any of these is reported and never undoes the update. A dry run writes and publishes
 * nothing, and still mails and posts what it would change.
 * @throws {PasswordPolicyReadError} when the policy cannot be read: nothing was changed.
 * @throws {PasswordPolicyUpdateError} when the update fails: the account keeps its previous policy.
 */
export async function enforcePasswordPolicy(
  deps: PasswordPolicyDependencies,
  options: PasswordPolicyOptions,
): Promise<PasswordPolicyReport> {
  const checkedAt = deps.clock();
  const current = await deps.policies.read();
  const desired = stricterPolicy(current, options.baseline);
  const changes = policyDrift(current, desired);
  const outcome = outcomeOf(current === undefined, changes.length > 0, options.dryRun);
  deps.log.info('Password policy checked', { outcome, changes });

  const report: PasswordPolicyReport = {
    dryRun: options.dryRun,
    ...(options.account === undefined ? {} : { account: options.account }),
    checkedAt: checkedAt.toISOString(),
    outcome,
    before: current ?? null,
    after: desired,
    changes,
    audit: { skipped: 'no change was made' },
    mail: { status: 'skipped', reason: 'the policy already meets the baseline: nothing to report' },
    chat: { posted: 0, failed: [], skipped: 'the policy already meets the baseline: nothing to post' },
  };
  if (outcome === 'compliant') return report;

  if (!options.dryRun) {
    await deps.policies.write(desired);
    deps.log.info('Password policy written', { outcome, changes });
    report.audit = await publish(deps, report);
  } else {
    report.audit = { skipped: 'dry run: no change was made' };
  }
  report.mail = await mailSecurityTeam(deps, report);
  report.chat = await postToChat(deps, report);
  return report;
}

function outcomeOf(noPolicy: boolean, drifted: boolean, dryRun: boolean): PasswordPolicyOutcome {
  if (!drifted) return 'compliant';
  if (noPolicy) return dryRun ? 'would-create' : 'created';
  return dryRun ? 'would-update' : 'updated';
}

async function publish(
  deps: PasswordPolicyDependencies,
  report: PasswordPolicyReport,
): Promise<AuditPublishResult | { skipped: string }> {
  if (deps.publishAudit === undefined) return { skipped: 'no audit publisher configured' };
  const event: AuditEvent = {
    detailType: PASSWORD_POLICY_UPDATED,
    time: new Date(report.checkedAt),
    detail: {
      action: report.outcome,
      ...(report.account === undefined ? {} : { account: report.account }),
      checkedAt: report.checkedAt,
      changes: report.changes,
      before: report.before,
      after: report.after,
    },
  };
  let result: AuditPublishResult;
  try {
    result = await deps.publishAudit([event]);
  } catch (error: unknown) {
    // The publisher should not throw; if one does, the update stands and the failure is reported.
    result = { published: 0, failed: [{ detailType: event.detailType, error: describeError(error) }] };
  }
  if (result.failed.length > 0) {
    deps.log.warn('The PasswordPolicyUpdated event could not be published', { failed: result.failed });
  }
  return result;
}

async function mailSecurityTeam(
  deps: PasswordPolicyDependencies,
  report: PasswordPolicyReport,
): Promise<SendResult> {
  if (deps.securityTeam.length === 0) {
    return { status: 'skipped', reason: 'SECURITY_TEAM_EMAILS is not set: no mail was sent' };
  }
  let result: SendResult;
  try {
    result = await deps.mailer.send(renderPolicyMail(report, deps.securityTeam));
  } catch (error: unknown) {
    result = { status: 'failed', error: describeError(error) };
  }
  if (result.status === 'failed') {
    deps.log.warn('The security team could not be mailed about the password policy', { error: result.error });
  }
  return result;
}

async function postToChat(
  deps: PasswordPolicyDependencies,
  report: PasswordPolicyReport,
): Promise<ChatReport> {
  if (deps.chat === undefined) return { posted: 0, failed: [], skipped: 'no chat poster configured' };
  const result = await postChatMessages(deps.chat, [passwordPolicyChatMessage(report)]);
  if (result.failed.length > 0) {
    deps.log.warn('The password policy change could not be posted to chat', { failed: result.failed });
  }
  return result;
}
