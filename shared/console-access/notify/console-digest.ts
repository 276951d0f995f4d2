import {
  type AccountName,
  accountLabel,
  isoDay,
  readableDate,
  wholeDaysBetween,
} from '../../kernel/index.ts';
import {
  type Cell,
  cellHtml,
  cellText,
  countsLine,
  countTiles,
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
import { nightTitle } from '../../nights/index.ts';
import {
  consoleCountItems,
  NOTED_COLUMNS,
  notedCells,
  PASSWORD_COLUMNS,
  passwordCells,
} from '../password-table.ts';
import { describeRemovalBudget, type RunSummary } from '../summary.ts';
import type { ConsoleAccessSummary, ConsoleMailResult } from '../types.ts';

type SummaryRow = ConsoleAccessSummary['passwords'][number];

const FOOTER = 'Sent by key-hygiene after each nightly console-access run.';

const IDLE_SOURCE: Record<RunSummary['idle'][number]['lastActivitySource'], string> = {
  'sign-in': 'console sign-in',
  'access key': 'access key used',
  created: 'user created, nothing since',
};

/** A table of the digest, drawn alike in HTML and in text. */
interface DigestTable {
  title: string;
  /** A sentence above the table. */
  lead?: string;
  columns: string[];
  rows: Cell[][];
}

/**
 * Renders the security team's console-access digest (HTML and text) from a run's summary: the alerts, the
 * counts every report shows, the night's removals against their limit, then one table per kind of news.
 * Pure.
 */
export function renderConsoleDigest(
  summary: RunSummary,
  ownerMail: ConsoleMailResult[],
  ownerMailNote: string | undefined,
  now: Date,
  to: string[],
  account?: AccountName,
): MailMessage {
  const title = digestTitle(summary, isoDay(now), account);
  const subject = `[key-hygiene] ${title}`;
  const intro = `${account === undefined ? '' : `AWS account ${accountLabel(account)}. `}Decisions as of ${readableDate(new Date(summary.decidedAt))}; credential report of ${readableDate(new Date(summary.reportGeneratedAt))}; ${summary.usersInReport} users, ${summary.consoleUsers} with a console password.`;
  const alert = alertOf(summary);
  const counts = consoleCountItems(summary);
  const budget = describeRemovalBudget(summary);
  const note = ownerMailNote === undefined ? undefined : `Owners were not mailed: ${ownerMailNote}.`;
  const tables = digestTables(summary, ownerMail, now);
  const body = html`<p>${intro}</p>
${alert === undefined ? '' : html`<div style="border:2px solid ${TONE[alert.tone]};padding:10px 14px;margin:12px 0;border-radius:4px"><strong style="color:${TONE[alert.tone]}">${alert.headline}</strong> ${alert.text}</div>`}
${countTiles(counts)}
<p>${budget}</p>
${note === undefined ? '' : html`<p style="${STYLE.muted}">${note}</p>`}
${tables.map(tableHtml)}`;
  const text = [
    subject,
    '',
    intro,
    ...(alert === undefined ? [] : ['', `!! ${alert.headline} ${alert.text}`]),
    countsLine(counts),
    '',
    budget,
    ...(note === undefined ? [] : ['', note]),
    ...tables.flatMap(tableText),
    '',
    `-- ${FOOTER}`,
  ].join('\n');
  return { to, subject, html: mailPage(title, body, FOOTER).value, text };
}

/**
 * `Console access 2026-11-23: 1 removed, 2 warned, 2 without MFA, 1 idle`: what was done, as the counts
 * show it. A dry run or a tripped guard says what would be removed; a backlog adds what remains.
 */
export function digestTitle(
  summary: Pick<RunSummary, 'counts' | 'dryRun' | 'guard' | 'budget'>,
  day: string,
  account?: AccountName,
): string {
  const { counts } = summary;
  const notActing = summary.dryRun || summary.guard.tripped;
  return nightTitle(
    'Console access',
    day,
    summary,
    [
      notActing ? `${counts.wouldRemove} would be removed` : `${counts.removed} removed`,
      `${counts.warned} warned`,
      summary.budget.remaining > 0 ? `${summary.budget.remaining} remaining for later nights` : '',
      `${counts.withoutMfa} without MFA`,
      `${counts.idle} idle`,
    ],
    account,
  );
}

function alertOf(
  summary: RunSummary,
): { tone: 'danger' | 'info'; headline: string; text: string } | undefined {
  if (summary.guard.tripped) {
    return {
      tone: 'danger',
      headline: 'Guard tripped: no password was removed.',
      text: `${summary.guard.reason ?? 'tonight looks wrong rather than busy'}. Nothing was recorded and no owner was mailed. Check the settings and the plan below; once the cause is fixed the next night runs as usual.`,
    };
  }
  if (summary.dryRun) {
    return { tone: 'info', headline: 'Dry run:', text: 'nothing was changed, recorded or mailed to owners.' };
  }
  return undefined;
}

function digestTables(summary: RunSummary, ownerMail: ConsoleMailResult[], now: Date): DigestTable[] {
  const passwords = (title: string, belongs: (row: SummaryRow) => boolean): DigestTable => ({
    title,
    columns: PASSWORD_COLUMNS,
    rows: summary.passwords.filter(belongs).map(passwordCells),
  });
  const warned = summary.passwords.filter((row) => row.decision === 'warn');
  const notTold = ownerMail.filter((mail) => mail.status !== 'sent');
  const tables: DigestTable[] = [
    passwords('The plan the guard stopped', (row) => row.outcome === 'held-by-guard'),
    passwords('Waiting for a later night (per-night limit)', (row) => row.outcome === 'waiting'),
    passwords('What a real run would do', (row) => row.outcome === 'dry-run'),
    passwords('Console passwords removed', (row) => row.outcome === 'done'),
    passwords(
      'Removals not made',
      (row) => row.decision === 'remove' && (row.outcome === 'failed' || row.outcome === 'skipped'),
    ),
    {
      title: 'Warnings',
      columns: ['User', 'Last activity', 'Removal', 'Tonight’s notice'],
      rows: warned.map((row) => {
        const [user, activity, removal] = passwordCells(row);
        return [user, activity, removal, noticeCell(row, ownerMail)].filter(
          (cell): cell is Cell => cell !== undefined,
        );
      }),
    },
    {
      title: 'Owners who could not be told',
      columns: ['User', 'What', 'Why not'],
      rows: notTold.map((mail) => [
        { text: mail.userName, nowrap: true },
        { text: mail.told.join(', ') },
        { text: mail.status, tone: 'warning', ...(mail.detail ? { note: mail.detail } : {}) },
      ]),
    },
    {
      title: 'Exempt or held for review',
      columns: NOTED_COLUMNS,
      rows: summary.passwords
        .filter((row) => row.decision === 'exempt' || row.decision === 'skip')
        .map(notedCells),
    },
    {
      title: `Console users without MFA (${summary.mfa.length})`,
      columns: ['User', 'Without MFA since', 'Days', 'Reminder'],
      rows: summary.mfa.map((finding) => [
        { text: finding.userName, nowrap: true },
        { text: isoDay(finding.withoutMfaSince), nowrap: true },
        { text: String(wholeDaysBetween(finding.withoutMfaSince, now)) },
        { text: reminderText(finding, ownerMail) },
      ]),
    },
    {
      title: `Idle users: candidates for removal (${summary.idle.length})`,
      lead: 'No console password, no active access key, and nothing done for a long time. key-hygiene never deletes users: check with their owners and remove them by hand.',
      columns: ['User', 'Last activity', 'Idle days'],
      rows: summary.idle.map((user) => [
        { text: user.userName, nowrap: true },
        { text: isoDay(user.lastActivity), note: IDLE_SOURCE[user.lastActivitySource] },
        { text: String(user.idleDays) },
      ]),
    },
    {
      title: 'Failures',
      columns: ['User', 'Step', 'Error'],
      rows: summary.failures.map((failure) => [
        { text: failure.userName, nowrap: true },
        { text: failure.step },
        { text: failure.error, tone: 'danger' },
      ]),
    },
  ];
  return tables.filter((part) => part.rows.length > 0);
}

/** The warning sent tonight, if any, and whether it reached its owner. */
function noticeCell(row: SummaryRow, ownerMail: ConsoleMailResult[]): Cell {
  if (row.warningStage === undefined) return { text: 'none due (told already)' };
  const notice = row.firstNotice ? 'first notice' : `${row.warningStage}-day notice`;
  const mail = ownerMail.find(
    (result) => result.userName === row.userName && result.told.includes('warning'),
  );
  if (mail === undefined) return { text: notice, note: 'not mailed tonight' };
  if (mail.status === 'sent') return { text: notice, note: `mailed to ${mail.address ?? row.userName}` };
  return { text: notice, note: `not mailed: ${mail.status}${mail.detail ? ` (${mail.detail})` : ''}` };
}

function reminderText(finding: RunSummary['mfa'][number], ownerMail: ConsoleMailResult[]): string {
  if (!finding.reminderDue) {
    return finding.lastReminded ? `last reminded ${isoDay(finding.lastReminded)}` : 'reminders off';
  }
  const mail = ownerMail.find(
    (result) => result.userName === finding.userName && result.told.includes('mfa-reminder'),
  );
  return mail?.status === 'sent' ? 'reminded tonight' : `due, not sent${mail ? ` (${mail.status})` : ''}`;
}

function tableHtml(part: DigestTable): SafeHtml {
  return section(
    part.title,
    html`${part.lead === undefined ? '' : html`<p>${part.lead}</p>`}${table(
      part.columns,
      part.rows.map((row) => row.map(cellHtml)),
    )}`,
  );
}

function tableText(part: DigestTable): string[] {
  return [
    '',
    `${part.title}:`,
    ...(part.lead === undefined ? [] : [part.lead]),
    textTable(
      part.columns.map((column) => column.toUpperCase()),
      part.rows.map((row) => row.map(cellText)),
    ),
  ];
}
