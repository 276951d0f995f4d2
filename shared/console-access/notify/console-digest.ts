import { isoDay, wholeDaysBetween } from '../../kernel/index.ts';
import {
  code,
  html,
  type MailMessage,
  mailPage,
  type SafeHtml,
  STYLE,
  section,
  TONE,
  table,
} from '../../mail/index.ts';
import type { RunSummary } from '../summary.ts';
import { passwordTableText } from '../summary-table.ts';
import type { ConsoleAccessSummary, ConsoleMailResult } from '../types.ts';

type SummaryRow = ConsoleAccessSummary['passwords'][number];

const FOOTER = 'Sent by key-hygiene after each nightly console-access run.';

/** Renders the security team's console-access digest (HTML and text) from a run's summary. Pure. */
export function renderConsoleDigest(
  summary: RunSummary,
  ownerMail: ConsoleMailResult[],
  ownerMailNote: string | undefined,
  now: Date,
  to: string[],
): MailMessage {
  const subject = `${summary.dryRun ? '[DRY RUN] ' : ''}key-hygiene console access ${isoDay(now)}: ${count(summary, 'done')} password(s) removed, ${summary.decisions.warn} warned, ${summary.mfa.length} without MFA, ${summary.idle.length} idle`;
  const rows = (filter: (row: SummaryRow) => boolean) => summary.passwords.filter(filter);
  const removed = rows((row) => row.outcome === 'done');
  const notDone = rows((row) => row.decision === 'remove' && row.outcome !== 'done');
  const warned = rows((row) => row.decision === 'warn');
  const exempt = rows((row) => row.decision === 'exempt' || row.decision === 'skip');
  const problems = ownerMail.filter((mail) => mail.status !== 'sent');
  const body = html`
<p>${summary.dryRun ? html`<strong>Dry run:</strong> nothing was changed, recorded or mailed to owners. ` : ''}Decisions as of ${summary.decidedAt}; credential report of ${summary.reportGeneratedAt}; ${summary.usersInReport} users, ${summary.consoleUsers} with a console password.</p>
${table(
  ['Removed', 'Warned', 'Exempt', 'Held', 'Without MFA', 'Idle users', 'Failed'],
  [
    [
      html`${count(summary, 'done')}`,
      html`${summary.decisions.warn}`,
      html`${summary.decisions.exempt}`,
      html`${summary.decisions.skip}`,
      html`${summary.mfa.length}`,
      html`${summary.idle.length}`,
      html`${summary.failures.length}`,
    ],
  ],
)}
${summary.guard.tripped ? html`<div style="border:2px solid ${TONE.danger};padding:10px 14px;margin:12px 0;border-radius:4px"><strong style="color:${TONE.danger}">Guard tripped: no password was removed.</strong> ${summary.guard.due} removals were due, more than the limit of ${summary.guard.limit} (MAX_ACTIONS_PER_RUN). Check the list below; if it is right, raise the limit for one run.</div>` : ''}
${removed.length > 0 ? section('Console passwords removed', passwordTable(removed)) : ''}
${notDone.length > 0 ? section('Removals not made tonight', passwordTable(notDone)) : ''}
${warned.length > 0 ? section('Warned: removal ahead', passwordTable(warned, ownerMail)) : ''}
${ownerMailNote ? html`<p style="${STYLE.muted}">Owners were not mailed: ${ownerMailNote}.</p>` : ''}
${problems.length > 0 ? section('Owners who could not be told', mailTable(problems)) : ''}
${exempt.length > 0 ? section('Exempt or held', passwordTable(exempt)) : ''}
${mfaSection(summary, ownerMail, now)}
${idleSection(summary)}
${
  summary.failures.length > 0
    ? section(
        'Failures',
        table(
          ['User', 'Step', 'Error'],
          summary.failures.map((failure) => [
            code(failure.userName),
            html`${failure.step}`,
            html`${failure.error}`,
          ]),
        ),
      )
    : ''
}`;
  return { to, subject, html: mailPage(subject, body, FOOTER).value, text: digestText(summary, subject) };
}

function count(summary: Pick<ConsoleAccessSummary, 'passwords'>, outcome: SummaryRow['outcome']): number {
  return summary.passwords.filter((row) => row.outcome === outcome).length;
}

function passwordTable(rows: SummaryRow[], ownerMail?: ConsoleMailResult[]): SafeHtml {
  const headers = ['User', 'Last activity', 'Removal date', 'Outcome', 'Reason'];
  return table(
    ownerMail ? [...headers, 'Owner told'] : headers,
    rows.map((row) => {
      const cells = [
        code(row.userName),
        html`${row.lastActivity ? `${isoDay(row.lastActivity)} (${row.activitySource})` : '—'}`,
        html`${row.removalDate ? isoDay(row.removalDate) : '—'}`,
        html`${row.outcome}${row.detail ? `: ${row.detail}` : ''}`,
        html`${row.reason}`,
      ];
      if (ownerMail) cells.push(html`${toldText(row.userName, ownerMail, row.warningStage)}`);
      return cells;
    }),
  );
}

function toldText(userName: string, ownerMail: ConsoleMailResult[], stage: number | undefined): string {
  if (stage === undefined) return 'already told';
  const mail = ownerMail.find((result) => result.userName === userName && result.told.includes('warning'));
  if (mail === undefined) return 'no';
  return mail.status === 'sent' ? `yes (${stage}-day notice)` : `no: ${mail.status}`;
}

function reminderText(
  due: boolean,
  last: Date | undefined,
  ownerMail: ConsoleMailResult[],
  userName: string,
): string {
  if (!due) return last ? `last reminded ${isoDay(last)}` : 'reminders off';
  const mail = ownerMail.find(
    (result) => result.userName === userName && result.told.includes('mfa-reminder'),
  );
  return mail?.status === 'sent' ? 'reminded tonight' : `due, not sent${mail ? ` (${mail.status})` : ''}`;
}

function mailTable(results: ConsoleMailResult[]): SafeHtml {
  return table(
    ['User', 'What', 'Why not'],
    results.map((result) => [
      code(result.userName),
      html`${result.told.join(', ')}`,
      html`${result.status}${result.detail ? `: ${result.detail}` : ''}`,
    ]),
  );
}

function digestText(summary: RunSummary, subject: string): string {
  return [
    subject,
    '',
    `Decisions as of ${summary.decidedAt}; ${summary.usersInReport} users, ${summary.consoleUsers} with a console password.`,
    summary.guard.tripped
      ? `GUARD TRIPPED: ${summary.guard.due} removals due, limit ${summary.guard.limit}: none made.`
      : '',
    '',
    passwordTableText(summary.passwords),
    '',
    `Console users without MFA: ${summary.mfa.map((finding) => `${finding.userName} (since ${isoDay(finding.withoutMfaSince)})`).join(', ') || 'none'}`,
    `Idle users (candidates for removal, never removed automatically): ${summary.idle.map((user) => `${user.userName} (${user.idleDays} days)`).join(', ') || 'none'}`,
    '',
    `-- ${FOOTER}`,
  ].join('\n');
}

function mfaSection(summary: RunSummary, ownerMail: ConsoleMailResult[], now: Date): SafeHtml | string {
  if (summary.mfa.length === 0) return '';
  return section(
    `Console users without MFA (${summary.mfa.length})`,
    table(
      ['User', 'Without MFA since', 'Days', 'Reminder'],
      summary.mfa.map((finding) => [
        code(finding.userName),
        html`${isoDay(finding.withoutMfaSince)}`,
        html`${wholeDaysBetween(finding.withoutMfaSince, now)}`,
        html`${reminderText(finding.reminderDue, finding.lastReminded, ownerMail, finding.userName)}`,
      ]),
    ),
  );
}

function idleSection(summary: RunSummary): SafeHtml | string {
  if (summary.idle.length === 0) return '';
  return section(
    `Idle users: candidates for removal (${summary.idle.length})`,
    html`<p>No console password, no active access key, and nothing done for a long time. key-hygiene never deletes users: check with their owners and remove them by hand.</p>${table(
      ['User', 'Last activity', 'Idle days'],
      summary.idle.map((user) => [
        code(user.userName),
        html`${isoDay(user.lastActivity)} (${user.lastActivitySource})`,
        html`${user.idleDays}`,
      ]),
    )}`,
  );
}
