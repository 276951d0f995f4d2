import { type ChatMessage, joinMarkdown, md, trustedMarkdown } from '../chat/index.ts';
import { formatValue, policyHeadline, policyMailSubject } from './policy-mail.ts';
import type { PasswordPolicyReport } from './report.ts';
import { PASSWORD_POLICY_FIELDS } from './types.ts';

/**
 * The chat message of a run that changed the password policy (or, in a dry run, found it weaker than the
 * baseline): the account, what changed from what to what, and where the team's mail went (the report's
 * `mail`, sent before). A compliant run posts nothing: a daily "nothing to do" would only teach the channel
 * to skim. Pure.
 */
export function passwordPolicyChatMessage(
  report: Pick<
    PasswordPolicyReport,
    'outcome' | 'dryRun' | 'account' | 'checkedAt' | 'before' | 'changes' | 'mail'
  >,
): ChatMessage {
  const labels = new Map(PASSWORD_POLICY_FIELDS.map(({ field, label }) => [field, label]));
  const changes = report.changes.map(
    (change) =>
      md`*${labels.get(change.field) ?? change.iamName}:* ${
        report.before === null ? 'no policy' : formatValue(change.field, change.before)
      } → ${formatValue(change.field, change.after)}`,
  );
  const { mail } = report;
  const details =
    mail.status === 'sent'
      ? // The subject is ours: the outcome, counts and the account id of the function's own ARN.
        md`*Details:* the mail "${trustedMarkdown(policyMailSubject(report))}" to the security team.`
      : md`*Details:* no mail to the security team (${mail.status === 'failed' ? `failed: ${mail.error}` : mail.reason}).`;
  const account = report.account === undefined ? 'This account' : `Account ${report.account}`;
  return {
    title: md`${account}: ${policyHeadline(report)}`,
    description: joinMarkdown([
      ...(report.dryRun ? [md`*Dry run:* nothing was changed.`] : []),
      ...changes,
      md`The policy keeps the stricter of the account's value and the baseline, setting by setting.`,
      details,
    ]),
    keywords: ['key-hygiene', 'password-policy', ...(report.dryRun ? ['dry-run'] : [])],
    eventType: 'PasswordPolicyUpdated',
    id: `key-hygiene-password-policy-${report.account ?? 'account'}-${report.checkedAt}`,
    additionalContext: {
      ...(report.account === undefined ? {} : { accountId: report.account }),
      checkedAt: report.checkedAt,
      outcome: report.outcome,
    },
  };
}
