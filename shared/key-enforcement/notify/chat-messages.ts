import { createHash } from 'node:crypto';
import {
  type ChatMarkdown,
  type ChatMessage,
  inlineCode,
  joinMarkdown,
  md,
  trustedMarkdown,
} from '../../chat/index.ts';
import type { CredentialReportRow } from '../../credential-report/index.ts';
import { type AccountName, accountLabel, isoDay } from '../../kernel/index.ts';
import { countsLine } from '../../mail/index.ts';
import { countItems } from '../key-table.ts';
import type { Finding, NightBudget, RunSummary } from '../types.ts';
import { digestTitle } from './digest-data.ts';

/**
 * At most this many critical findings are posted one message each; the run's message counts the rest, and
 * the digest lists them all. A night that finds fifty re-activated keys should not post fifty messages.
 */
export const MAX_FINDING_MESSAGES = 10;

export interface RunChatInput {
  summary: RunSummary;
  /** The account the run looked at (named by the run, else from the credential report), when known. */
  account: AccountName | undefined;
  /**
   * Where the whole report goes: the digest mail's subject (written by this service from counts and the
   * date, never account data, so posted as it is), or why no digest is mailed tonight.
   */
  digest: { subject: string } | { notMailed: string };
}

/**
 * What a run posts to chat: one short message about the run, then one per critical finding (a root access
 * key, a key re-activated after this service deactivated it, a report row whose user cannot be named). The
 * counts are the summary's, as the digest and the metrics show them; account text is defused. Pure.
 */
export function keyRunChatMessages(input: RunChatInput): ChatMessage[] {
  const critical = input.summary.findings.filter((finding) => finding.severity === 'critical');
  return [
    runMessage(input, critical.length),
    ...critical.slice(0, MAX_FINDING_MESSAGES).map((finding) => findingMessage(finding, input)),
  ];
}

/** The account of a credential report: the account id in its rows' ARNs. */
export function accountOfReport(rows: Pick<CredentialReportRow, 'arn'>[]): string | undefined {
  for (const row of rows) {
    const account = /^arn:[^:]+:iam::(\d{12}):/.exec(row.arn)?.[1];
    if (account !== undefined) return account;
  }
  return undefined;
}

function chatAccountLabel(account: AccountName | undefined): string {
  return account === undefined ? 'This account' : `Account ${accountLabel(account)}`;
}

function runMessage(input: RunChatInput, criticalFindings: number): ChatMessage {
  const { summary, account } = input;
  const accountId = account?.accountId;
  const { guard } = summary;
  const lines: ChatMarkdown[] = [];
  if (summary.dryRun) lines.push(md`*Dry run:* nothing was changed, recorded or mailed to owners.`);
  lines.push(
    guard.tripped
      ? md`*Guard tripped: no key was changed.* ${guard.reason ?? 'Tonight looks wrong rather than busy'}.`
      : md`*Guard:* not tripped (${guard.keysNeedingAction} of ${guard.keysInAccount} keys needed action).`,
  );
  lines.push(md`*Tonight:* ${countsLine(countItems(summary))}.`);
  lines.push(md`*Backlog:* ${backlog(summary.budget)}`);
  if (criticalFindings > 0) {
    const posted = Math.min(criticalFindings, MAX_FINDING_MESSAGES);
    lines.push(
      criticalFindings > posted
        ? md`*Critical findings:* ${criticalFindings}; the first ${posted} follow, one message each, and the digest lists them all.`
        : md`*Critical findings:* ${criticalFindings}, one message each below.`,
    );
  }
  lines.push(
    'subject' in input.digest
      ? md`*Full report:* the digest mail "${trustedMarkdown(input.digest.subject)}" to the security team.`
      : md`*Full report:* no digest mail tonight (${input.digest.notMailed}).`,
  );

  const nextSteps: ChatMarkdown[] = [];
  if (guard.tripped) {
    nextSteps.push(
      md`Read the guard's reason in the digest and fix the clock, setting or report it points at; the next night then runs as usual.`,
    );
  }
  if (summary.counts.failures > 0) {
    nextSteps.push(md`The digest lists each failure with its error.`);
  }
  return {
    title: md`${chatAccountLabel(account)}: ${digestTitle(summary, isoDay(new Date(summary.decidedAt)))}`,
    description: joinMarkdown(lines),
    ...(nextSteps.length > 0 ? { nextSteps } : {}),
    keywords: [
      'key-hygiene',
      ...(summary.dryRun ? ['dry-run'] : []),
      ...(guard.tripped ? ['guard-tripped'] : []),
    ],
    eventType: 'KeyEnforcementRunCompleted',
    id: `key-hygiene-run-${accountId ?? 'account'}-${summary.decidedAt}`,
    additionalContext: {
      ...(accountId === undefined ? {} : { accountId }),
      decidedAt: summary.decidedAt,
      dryRun: String(summary.dryRun),
    },
  };
}

/** One line on the keys left for later nights by the per-night limits. */
function backlog(budget: NightBudget): string {
  const parts = (['deactivate', 'delete'] as const)
    .filter((kind) => budget[kind].remaining > 0)
    .map((kind) => {
      const { remaining, clearsOn } = budget[kind];
      const noun = `${kind === 'deactivate' ? 'deactivation' : 'deletion'}${remaining === 1 ? '' : 's'}`;
      const when = clearsOn === undefined ? 'not cleared while its limit is 0' : `clears on ${clearsOn}`;
      return `${remaining} ${noun} (${when})`;
    });
  return parts.length === 0 ? 'none.' : `${parts.join(', ')} remain for later nights.`;
}

function findingMessage(finding: Finding, input: RunChatInput): ChatMessage {
  const { summary, account } = input;
  const accountId = account?.accountId;
  const dryRun = summary.dryRun ? 'DRY RUN: ' : '';
  // One thread per finding subject and account: a root key reported every night until it is deleted
  // stays in one thread instead of filling the channel.
  const subjectHash = createHash('sha256').update(finding.subject).digest('hex').slice(0, 16);
  return {
    title: md`${dryRun}Critical finding, ${chatAccountLabel(account)}: ${inlineCode(finding.subject)}`,
    description: summary.dryRun
      ? md`${finding.message}\n*Dry run:* nothing was changed tonight.`
      : md`${finding.message}`,
    keywords: ['key-hygiene', 'critical', ...(summary.dryRun ? ['dry-run'] : [])],
    eventType: 'CriticalFinding',
    threadId: `key-hygiene-${accountId ?? 'account'}-finding-${subjectHash}`,
    summary: `Critical finding: ${finding.subject}`,
    id: `key-hygiene-finding-${accountId ?? 'account'}-${subjectHash}-${summary.decidedAt}`,
    additionalContext: { ...(accountId === undefined ? {} : { accountId }), decidedAt: summary.decidedAt },
  };
}
