import type { ChatReport } from '../../chat/index.ts';
import type { CredentialReportRow } from '../../credential-report/index.ts';
import { type AccountName, accountLabel, isoDay, readableDate } from '../../kernel/index.ts';
import type { Cell, CountItem, Tone } from '../../mail/index.ts';
import { nightTitle } from '../../nights/index.ts';
import { countItems, KEY_COLUMNS, keyCells } from '../key-table.ts';
import { describeBudget } from '../summary.ts';
import type { KeyDecision, KeyPolicySettings, KeySummaryRow, OwnerMailResult, RunSummary } from '../types.ts';
import { type AgeBucket, keyAgeBuckets } from './key-age-chart.ts';

export interface DigestInput {
  summary: RunSummary;
  rows: CredentialReportRow[];
  decisions: KeyDecision[];
  ownerMail: OwnerMailResult[];
  /** Why owners were not mailed tonight (dry run, guard), if so. */
  ownerMailNote: string | undefined;
  /** What became of the run's chat messages, posted before the digest. */
  chat?: ChatReport;
  settings: KeyPolicySettings;
  now: Date;
  to: string[];
  /** The account the run was about: named in the subject and the first line. */
  account?: AccountName;
}

/** One part of the digest, drawn alike in HTML and in text. */
export type DigestSection =
  | { kind: 'alert'; tone: Tone; headline: string; text: string }
  | { kind: 'counts'; items: CountItem[] }
  | { kind: 'note'; text: string }
  | { kind: 'lines'; lines: string[] }
  | { kind: 'table'; title: string; columns: string[]; rows: Cell[][] }
  | { kind: 'names'; title: string; names: string[] }
  | { kind: 'chart'; title: string; buckets: AgeBucket[] };

/** The security team's digest of a run as data: what the HTML and the text renderings both show. */
export interface DigestData {
  subject: string;
  /** The subject without the `[key-hygiene]` tag: the mail's heading. */
  title: string;
  /** The UTC day of the decision clock, `YYYY-MM-DD`. */
  day: string;
  intro: string;
  sections: DigestSection[];
}

/**
 * The digest's sections, in the order they are shown. Each returns nothing when it has nothing to say; a
 * new section is one more function here.
 */
const SECTIONS: ((input: DigestInput) => DigestSection | undefined)[] = [
  dryRunAlert,
  guardAlert,
  (input) => ({ kind: 'counts', items: countItems(input.summary) }),
  (input) => ({ kind: 'lines', lines: describeBudget(input.summary.budget) }),
  (input) => keySection('The plan the guard stopped', input, (row) => row.outcome === 'held-by-guard'),
  (input) =>
    keySection('Waiting for a later night (per-night limits)', input, (row) => row.outcome === 'waiting'),
  (input) => keySection('What a real run would do', input, (row) => row.outcome === 'dry-run'),
  (input) => keySection('Actions taken', input, (row) => row.outcome === 'done'),
  (input) =>
    keySection('Actions not taken', input, (row) => row.outcome === 'failed' || row.outcome === 'skipped'),
  warnings,
  ownersNotMailed,
  ownersNotTold,
  chatNotPosted,
  exemptKeys,
  exemptUsersNotLookedAt,
  (input) =>
    keySection('Held for review (the exempt tag cannot be read)', input, (row) => row.decision === 'hold'),
  findings,
  usersWithoutMfa,
  failures,
  ageChart,
];

/** Builds the digest of a run from its summary, the report and the owner mail results. Pure. */
export function buildDigest(input: DigestInput): DigestData {
  const { summary } = input;
  const day = isoDay(input.now);
  const title = digestTitle(summary, day, input.account);
  return {
    subject: digestSubject(title),
    title,
    day,
    intro: `${input.account === undefined ? '' : `AWS account ${accountLabel(input.account)}. `}Decisions as of ${readableDate(new Date(summary.decidedAt))}; credential report of ${readableDate(new Date(summary.reportGeneratedAt))}; ${summary.usersInReport} users, ${summary.usersReviewed} looked at closely.`,
    sections: SECTIONS.flatMap((section) => section(input) ?? []),
  };
}

/**
 * `Nightly report 2026-11-23: 4 deactivated, 1 deleted, 2 warned`: what was done, as the digest's table
 * and the run metrics count it. A dry run or a tripped guard says what would be done. Within the per-night
 * limits that is tonight's share; a backlog adds how many keys remain for later nights.
 */
export function digestTitle(
  summary: Pick<RunSummary, 'counts' | 'dryRun' | 'guard' | 'budget'>,
  day: string,
  account?: AccountName,
): string {
  const { counts } = summary;
  const remaining = summary.budget.deactivate.remaining + summary.budget.delete.remaining;
  const notActing = summary.dryRun || summary.guard.tripped;
  return nightTitle(
    'Nightly report',
    day,
    summary,
    [
      notActing ? `${counts.wouldDeactivate} would be deactivated` : `${counts.deactivated} deactivated`,
      notActing ? `${counts.wouldDelete} would be deleted` : `${counts.deleted} deleted`,
      `${counts.warned} warned`,
      remaining > 0 ? `${remaining} remaining for later nights` : '',
    ],
    account,
  );
}

/** The digest mail's subject: its title, tagged `[key-hygiene]` for mail filters. */
export function digestSubject(title: string): string {
  return `[key-hygiene] ${title}`;
}

function keySection(
  title: string,
  input: DigestInput,
  belongs: (row: KeySummaryRow) => boolean,
): DigestSection | undefined {
  const rows = input.summary.keys.filter(belongs);
  return rows.length === 0
    ? undefined
    : { kind: 'table', title, columns: KEY_COLUMNS, rows: rows.map(keyCells) };
}

function dryRunAlert({ summary }: DigestInput): DigestSection | undefined {
  if (!summary.dryRun) return undefined;
  return {
    kind: 'alert',
    tone: 'info',
    headline: 'Dry run:',
    text: 'nothing was changed, recorded or mailed to owners.',
  };
}

function guardAlert({ summary }: DigestInput): DigestSection | undefined {
  if (!summary.guard.tripped) return undefined;
  return {
    kind: 'alert',
    tone: 'danger',
    headline: 'Guard tripped: no key was changed.',
    text: `${summary.guard.reason ?? 'tonight looks wrong rather than busy'}. Check the settings and the plan below; once the cause is fixed the next night runs as usual.`,
  };
}

function warnings(input: DigestInput): DigestSection | undefined {
  const rows = input.summary.keys.filter((row) => row.decision === 'warn');
  if (rows.length === 0) return undefined;
  return {
    kind: 'table',
    title: 'Warnings',
    columns: ['User', 'Key', 'Age', 'Deactivation', 'Owner notice'],
    rows: rows.map((row) => [
      { text: row.userName, nowrap: true },
      { text: row.accessKeyId, code: true },
      { text: `${row.ageDays}d` },
      { text: row.deactivationDate ? isoDay(new Date(row.deactivationDate)) : '' },
      { text: ownerNoticeOf(row, input.ownerMail) },
    ]),
  };
}

function ownerNoticeOf(row: KeySummaryRow, ownerMail: OwnerMailResult[]): string {
  const result = ownerMail.find(
    (candidate) =>
      candidate.userName === row.userName &&
      candidate.keys.some((key) => key.accessKeyId === row.accessKeyId),
  );
  if (result === undefined) return 'no notice due tonight';
  if (result.status === 'sent') return `mailed to ${result.address}`;
  return `${result.status}${result.detail ? `: ${result.detail}` : ''}`;
}

function ownersNotMailed(input: DigestInput): DigestSection | undefined {
  return input.ownerMailNote
    ? { kind: 'note', text: `Owners were not mailed: ${input.ownerMailNote}.` }
    : undefined;
}

function ownersNotTold(input: DigestInput): DigestSection | undefined {
  const results = input.ownerMail.filter((result) => result.status !== 'sent');
  if (results.length === 0) return undefined;
  return {
    kind: 'table',
    title: 'Owners who could not be told',
    columns: ['User', 'Status', 'Why', 'Keys'],
    rows: results.map((result) => [
      { text: result.userName, nowrap: true },
      { text: result.status, tone: result.status === 'failed' ? 'danger' : 'warning' },
      { text: result.detail ?? '' },
      { text: result.keys.map((key) => `${key.accessKeyId} (${key.notice})`).join(', ') },
    ]),
  };
}

function chatNotPosted({ chat }: DigestInput): DigestSection | undefined {
  if (chat === undefined || chat.failed.length === 0) return undefined;
  const errors = [...new Set(chat.failed.map((failure) => failure.error))];
  return {
    kind: 'alert',
    tone: 'warning',
    headline: `Chat: ${chat.failed.length} of ${chat.failed.length + chat.posted} message(s) could not be posted.`,
    text: `${errors.join('; ')}. Nothing else of tonight's run depends on chat: keys, records and mail are as reported here.`,
  };
}

function exemptKeys(input: DigestInput): DigestSection | undefined {
  const rows = input.summary.keys.filter((row) => row.decision === 'exempt');
  if (rows.length === 0) return undefined;
  const exemptUntil = new Map(
    input.decisions.map((decision) => [decision.accessKeyId, decision.exemptUntil]),
  );
  const until = (row: KeySummaryRow): string => {
    const end = exemptUntil.get(row.accessKeyId);
    if (end === undefined) return '';
    return end === 'indefinite' ? 'indefinitely' : readableDate(end, { endOfDay: true });
  };
  return {
    kind: 'table',
    title: 'Exempt keys',
    columns: ['User', 'Key', 'Age', 'Exempt until'],
    rows: rows.map((row) => [
      { text: row.userName, nowrap: true },
      { text: row.accessKeyId, code: true },
      { text: `${row.ageDays}d` },
      { text: until(row) },
    ]),
  };
}

function exemptUsersNotLookedAt({ summary }: DigestInput): DigestSection | undefined {
  const names = summary.review?.exemptNotLookedAt ?? [];
  return names.length === 0
    ? undefined
    : {
        kind: 'names',
        title: `Exempt users whose keys would otherwise be due, not looked at tonight (${names.length})`,
        names,
      };
}

function findings({ summary }: DigestInput): DigestSection | undefined {
  if (summary.findings.length === 0) return undefined;
  return {
    kind: 'table',
    title: 'Findings',
    columns: ['Severity', 'About', 'Finding'],
    rows: summary.findings.map((finding) => [
      { text: finding.severity, tone: finding.severity === 'critical' ? 'danger' : 'warning' },
      { text: finding.subject, code: true },
      { text: finding.message },
    ]),
  };
}

function usersWithoutMfa(input: DigestInput): DigestSection | undefined {
  const names = input.rows
    .filter((row) => !row.isRoot && row.passwordEnabled === true && row.mfaActive !== true)
    .map((row) => row.user);
  return names.length === 0
    ? undefined
    : { kind: 'names', title: `Console users without MFA (${names.length})`, names };
}

function failures({ summary }: DigestInput): DigestSection | undefined {
  if (summary.failures.length === 0) return undefined;
  return {
    kind: 'table',
    title: 'Failures',
    columns: ['User', 'Key', 'Step', 'Error'],
    rows: summary.failures.map((failure) => [
      { text: failure.userName ?? '', nowrap: true },
      { text: failure.accessKeyId ?? '', code: true },
      { text: failure.step },
      { text: failure.error },
    ]),
  };
}

function ageChart(input: DigestInput): DigestSection {
  return {
    kind: 'chart',
    title: 'Active keys by age (from the credential report, before tonight’s changes)',
    buckets: keyAgeBuckets(input.rows, input.settings, input.now),
  };
}
