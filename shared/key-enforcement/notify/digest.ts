import type { CredentialReportRow } from '../../credential-report/index.ts';
import { isoDay } from '../../kernel/index.ts';
import {
  badge,
  code,
  html,
  type MailMessage,
  mailPage,
  type SafeHtml,
  STYLE,
  section,
  TONE,
  table,
  textTable,
} from '../../mail/index.ts';
import { type AccountName, accountLabel } from '../account-name.ts';
import type { KeyDecision, KeyPolicySettings, KeySummaryRow, OwnerMailResult, RunSummary } from '../types.ts';
import { keyAgeBuckets, keyAgeChart, keyAgeChartText } from './key-age-chart.ts';
import { keyInventoryCsv } from './key-inventory.ts';

export interface DigestInput {
  summary: RunSummary;
  rows: CredentialReportRow[];
  decisions: KeyDecision[];
  ownerMail: OwnerMailResult[];
  /** Why owners were not mailed tonight (dry run, guard), if so. */
  ownerMailNote: string | undefined;
  settings: KeyPolicySettings;
  now: Date;
  to: string[];
  /** The account the run was about: named in the subject and the first line. */
  account?: AccountName;
}

const FOOTER =
  'Sent by key-hygiene after each nightly run. The attached CSV lists every access key in the account.';

/** Renders the security team's digest of a run (HTML, text, and the key inventory as CSV). Pure. */
export function renderDigest(input: DigestInput): MailMessage {
  const { summary } = input;
  const day = isoDay(input.now);
  const subject = digestSubject(summary, day, input.account);
  const facts = digestFacts(input);

  const body = html`
${input.account === undefined ? '' : html`<p>AWS account: ${code(accountLabel(input.account))}</p>`}
<p>${summary.dryRun ? html`<strong>Dry run:</strong> nothing was changed, recorded or mailed to owners. ` : ''}Decisions as of ${summary.decidedAt}; credential report of ${summary.reportGeneratedAt}; ${summary.usersInReport} users, ${summary.usersReviewed} looked at closely.</p>
${table(
  ['Deactivated', 'Deleted', 'Warned', 'Exempt', 'Held', 'Failed', 'Skipped'],
  [
    [
      html`${count(summary, 'deactivate')}`,
      html`${count(summary, 'delete')}`,
      html`${summary.decisions.warn}`,
      html`${summary.decisions.exempt}`,
      html`${summary.decisions.skip}`,
      html`${summary.outcomes.failed}`,
      html`${summary.outcomes.skipped}`,
    ],
  ],
)}
${
  summary.guard.tripped
    ? html`<div style="border:2px solid ${TONE.danger};padding:10px 14px;margin:12px 0;border-radius:4px"><strong style="color:${TONE.danger}">Guard tripped: no key was changed.</strong> ${summary.guard.planned} deactivations and deletions were planned, more than the limit of ${summary.guard.limit} (MAX_ACTIONS_PER_RUN). Check the plan below; if it is right, raise the limit for one run.</div>
${section('The plan the guard stopped', keyTable(summary.keys.filter((row) => row.outcome === 'held-by-guard')))}`
    : ''
}
${summary.dryRun ? section('What a real run would do', keyTable(summary.keys.filter((row) => row.outcome === 'dry-run'))) : ''}
${facts.actions.length > 0 ? section('Actions taken', keyTable(facts.actions)) : ''}
${facts.notDone.length > 0 ? section('Actions not taken', keyTable(facts.notDone)) : ''}
${facts.warnings.length > 0 ? section('Warnings', warningTable(facts.warnings, input.ownerMail)) : ''}
${input.ownerMailNote ? html`<p style="${STYLE.muted}">Owners were not mailed: ${input.ownerMailNote}.</p>` : ''}
${facts.mailProblems.length > 0 ? section('Owners who could not be told', mailProblemTable(facts.mailProblems)) : ''}
${facts.exempt.length > 0 ? section('Exempt keys', exemptTable(facts.exempt)) : ''}
${facts.held.length > 0 ? section('Keys held (unreadable exemption)', keyTable(facts.held)) : ''}
${summary.findings.length > 0 ? section('Findings', findingList(summary)) : ''}
${facts.noMfa.length > 0 ? section(`Console users without MFA (${facts.noMfa.length})`, html`<p>${facts.noMfa.map((user, index) => html`${index > 0 ? ', ' : ''}${code(user)}`)}</p>`) : ''}
${summary.failures.length > 0 ? section('Failures', failureTable(summary)) : ''}
${section('Active keys by age (from the credential report, before tonight’s changes)', keyAgeChart(facts.buckets))}`;

  return {
    to: input.to,
    subject,
    html: mailPage(subject, body, FOOTER).value,
    text: renderText(input, subject, facts),
    attachments: [
      {
        filename: `key-inventory-${day}.csv`,
        contentType: 'text/csv',
        content: keyInventoryCsv(input.rows, input.decisions, input.now),
      },
    ],
  };
}

/** `[key-hygiene] Nightly report 2026-11-23: 4 deactivated, 1 deleted, 2 warned` (dry run and guard say so). */
export function digestSubject(summary: RunSummary, day: string, account?: AccountName): string {
  const prefix = summary.dryRun ? '[key-hygiene] DRY RUN: ' : '[key-hygiene] ';
  const guard = summary.guard.tripped ? 'GUARD TRIPPED, ' : '';
  const verb = summary.dryRun || summary.guard.tripped ? 'would be ' : '';
  const parts = [
    `${summary.decisions.deactivate} ${verb}deactivated`,
    `${summary.decisions.delete} ${verb}deleted`,
    `${summary.decisions.warn} warned`,
    summary.failures.length > 0
      ? `${summary.failures.length} failure${summary.failures.length === 1 ? '' : 's'}`
      : '',
  ].filter(Boolean);
  const where = account === undefined ? '' : `, account ${accountLabel(account)}`;
  return `${prefix}Nightly report ${day}${where}: ${guard}${parts.join(', ')}`;
}

interface DigestFacts {
  actions: KeySummaryRow[];
  notDone: KeySummaryRow[];
  warnings: KeySummaryRow[];
  exempt: { row: KeySummaryRow; until: Date | 'indefinite' | undefined }[];
  held: KeySummaryRow[];
  mailProblems: OwnerMailResult[];
  noMfa: string[];
  buckets: ReturnType<typeof keyAgeBuckets>;
}

function digestFacts(input: DigestInput): DigestFacts {
  const { keys } = input.summary;
  const exemptUntil = new Map(
    input.decisions.map((decision) => [decision.accessKeyId, decision.exemptUntil]),
  );
  return {
    actions: keys.filter((row) => row.outcome === 'done'),
    notDone: keys.filter((row) => row.outcome === 'failed' || row.outcome === 'skipped'),
    warnings: keys.filter((row) => row.decision === 'warn'),
    exempt: keys
      .filter((row) => row.decision === 'exempt')
      .map((row) => ({ row, until: exemptUntil.get(row.accessKeyId) })),
    held: keys.filter((row) => row.decision === 'skip'),
    mailProblems: input.ownerMail.filter((result) => result.status !== 'sent'),
    noMfa: input.rows
      .filter((row) => !row.isRoot && row.passwordEnabled === true && row.mfaActive !== true)
      .map((row) => row.user),
    buckets: keyAgeBuckets(input.rows, input.settings, input.now),
  };
}

function count(summary: RunSummary, decision: 'deactivate' | 'delete'): number {
  return summary.keys.filter((row) => row.decision === decision && row.outcome === 'done').length;
}

const OUTCOME_TONE: Record<string, string> = {
  done: TONE.ok,
  failed: TONE.danger,
  skipped: TONE.warning,
  'dry-run': TONE.info,
  'held-by-guard': TONE.danger,
  reported: TONE.neutral,
};

function keyTable(rows: KeySummaryRow[]): SafeHtml {
  return table(
    ['User', 'Access key', 'Age', 'Decision', 'Outcome', 'Reason'],
    rows.map((row) => [
      html`${row.userName}`,
      code(row.accessKeyId),
      html`${row.ageDays}d`,
      html`${row.decision}`,
      badge(row.outcome, OUTCOME_TONE[row.outcome] ?? TONE.neutral),
      html`${row.reason}${row.detail ? html`<br><span style="${STYLE.muted}">${row.detail}</span>` : ''}`,
    ]),
  );
}

function mailStatusOf(row: KeySummaryRow, ownerMail: OwnerMailResult[]): string {
  const result = ownerMail.find(
    (candidate) =>
      candidate.userName === row.userName &&
      candidate.keys.some((key) => key.accessKeyId === row.accessKeyId),
  );
  if (result === undefined) return 'no notice due tonight';
  if (result.status === 'sent') return `mailed to ${result.address}`;
  return `${result.status}${result.detail ? `: ${result.detail}` : ''}`;
}

function warningTable(rows: KeySummaryRow[], ownerMail: OwnerMailResult[]): SafeHtml {
  return table(
    ['User', 'Access key', 'Age', 'Deactivation', 'Owner notice'],
    rows.map((row) => [
      html`${row.userName}`,
      code(row.accessKeyId),
      html`${row.ageDays}d`,
      html`${row.deactivationDate ? isoDay(new Date(row.deactivationDate)) : ''}`,
      html`${mailStatusOf(row, ownerMail)}`,
    ]),
  );
}

function mailProblemTable(results: OwnerMailResult[]): SafeHtml {
  return table(
    ['User', 'Status', 'Why', 'Keys'],
    results.map((result) => [
      html`${result.userName}`,
      badge(result.status, result.status === 'failed' ? TONE.danger : TONE.warning),
      html`${result.detail ?? ''}`,
      html`${result.keys.map((key) => `${key.accessKeyId} (${key.notice})`).join(', ')}`,
    ]),
  );
}

function exemptTable(rows: DigestFacts['exempt']): SafeHtml {
  return table(
    ['User', 'Access key', 'Age', 'Exempt until'],
    rows.map(({ row, until }) => [
      html`${row.userName}`,
      code(row.accessKeyId),
      html`${row.ageDays}d`,
      html`${until === undefined ? '' : until === 'indefinite' ? 'indefinitely' : until.toISOString()}`,
    ]),
  );
}

function findingList(summary: RunSummary): SafeHtml {
  return html`<ul style="padding-left:20px">${summary.findings.map(
    (finding) =>
      html`<li>${badge(finding.severity, finding.severity === 'critical' ? TONE.danger : TONE.warning)} ${code(finding.subject)}: ${finding.message}</li>`,
  )}</ul>`;
}

function failureTable(summary: RunSummary): SafeHtml {
  return table(
    ['User', 'Access key', 'Step', 'Error'],
    summary.failures.map((failure) => [
      html`${failure.userName ?? ''}`,
      failure.accessKeyId ? code(failure.accessKeyId) : html``,
      html`${failure.step}`,
      html`${failure.error}`,
    ]),
  );
}

function renderText(input: DigestInput, subject: string, facts: DigestFacts): string {
  const { summary } = input;
  const keyRows = (rows: KeySummaryRow[]) =>
    textTable(
      ['USER', 'KEY', 'AGE', 'DECISION', 'OUTCOME', 'REASON'],
      rows.map((row) => [
        row.userName,
        row.accessKeyId,
        `${row.ageDays}d`,
        row.decision,
        row.outcome,
        row.detail ? `${row.reason} [${row.detail}]` : row.reason,
      ]),
    );
  const lines = [
    subject,
    '',
    ...(input.account === undefined ? [] : [`AWS account: ${accountLabel(input.account)}`]),
    `${summary.dryRun ? 'DRY RUN: nothing was changed, recorded or mailed to owners. ' : ''}Decisions as of ${summary.decidedAt}; report of ${summary.reportGeneratedAt}; ${summary.usersInReport} users, ${summary.usersReviewed} looked at closely.`,
  ];
  const block = (title: string, text: string) => lines.push('', title, text);
  if (summary.guard.tripped) {
    block(
      `GUARD TRIPPED: no key was changed. ${summary.guard.planned} deactivations and deletions planned, limit ${summary.guard.limit}. The plan it stopped:`,
      keyRows(summary.keys.filter((row) => row.outcome === 'held-by-guard')),
    );
  }
  if (summary.dryRun)
    block('What a real run would do:', keyRows(summary.keys.filter((row) => row.outcome === 'dry-run')));
  if (facts.actions.length > 0) block('Actions taken:', keyRows(facts.actions));
  if (facts.notDone.length > 0) block('Actions not taken:', keyRows(facts.notDone));
  if (facts.warnings.length > 0) {
    block(
      'Warnings:',
      textTable(
        ['USER', 'KEY', 'AGE', 'DEACTIVATION', 'OWNER NOTICE'],
        facts.warnings.map((row) => [
          row.userName,
          row.accessKeyId,
          `${row.ageDays}d`,
          row.deactivationDate ? isoDay(new Date(row.deactivationDate)) : '',
          mailStatusOf(row, input.ownerMail),
        ]),
      ),
    );
  }
  if (input.ownerMailNote) lines.push('', `Owners were not mailed: ${input.ownerMailNote}.`);
  if (facts.mailProblems.length > 0) {
    block(
      'Owners who could not be told:',
      textTable(
        ['USER', 'STATUS', 'WHY'],
        facts.mailProblems.map((result) => [result.userName, result.status, result.detail ?? '']),
      ),
    );
  }
  if (facts.exempt.length > 0) {
    block(
      'Exempt keys:',
      textTable(
        ['USER', 'KEY', 'AGE', 'EXEMPT UNTIL'],
        facts.exempt.map(({ row, until }) => [
          row.userName,
          row.accessKeyId,
          `${row.ageDays}d`,
          until === undefined ? '' : until === 'indefinite' ? 'indefinitely' : until.toISOString(),
        ]),
      ),
    );
  }
  if (facts.held.length > 0) block('Keys held (unreadable exemption):', keyRows(facts.held));
  if (summary.findings.length > 0) {
    block(
      'Findings:',
      summary.findings.map((f) => `- ${f.severity.toUpperCase()} ${f.subject}: ${f.message}`).join('\n'),
    );
  }
  if (facts.noMfa.length > 0)
    block(`Console users without MFA (${facts.noMfa.length}):`, facts.noMfa.join(', '));
  if (summary.failures.length > 0) {
    block(
      'Failures:',
      textTable(
        ['USER', 'KEY', 'STEP', 'ERROR'],
        summary.failures.map((f) => [f.userName ?? '', f.accessKeyId ?? '', f.step, f.error]),
      ),
    );
  }
  block(
    'Active keys by age (from the credential report, before tonight’s changes):',
    keyAgeChartText(facts.buckets),
  );
  lines.push('', `-- ${FOOTER}`);
  return lines.join('\n');
}
