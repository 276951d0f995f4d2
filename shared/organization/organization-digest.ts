import { stringify } from 'csv-stringify/sync';
import { defuseFormula, KEY_INVENTORY_COLUMNS } from '../key-enforcement/index.ts';
import {
  type Cell,
  cellHtml,
  cellText,
  html,
  type MailMessage,
  mailPage,
  STYLE,
  section,
  TONE,
  table,
  textTable,
} from '../mail/index.ts';
import { inventoryAttachment } from './inventory-attachment.ts';
import type {
  AccountCounts,
  AccountFailureKind,
  AccountRunResult,
  OrganizationGuard,
  SkippedAccount,
  SkipReason,
} from './types.ts';

export interface OrganizationDigestInput {
  night: string;
  dryRun: boolean;
  results: AccountRunResult[];
  skipped: SkippedAccount[];
  /** Every account's key inventory records, by account id (absent: that account's keys are not known). */
  inventories: Map<string, string[][]>;
  guard?: OrganizationGuard;
  to: string[];
}

/** Tallies summed over every account, and how many accounts finished, failed and were skipped. */
export interface OrganizationTotals extends AccountCounts {
  accounts: number;
  done: number;
  failedAccounts: number;
  skipped: number;
  guardTripped: number;
  passwordPoliciesChanged: number;
  rootKeyFindings: number;
}

const FAILURE_TEXT: Record<AccountFailureKind, string> = {
  'role-missing': 'member role missing',
  'access-denied': 'access denied',
  throttled: 'throttled out',
  error: 'error',
};

const SKIP_TEXT: Record<SkipReason, string> = {
  excluded: 'excluded (ORG_EXCLUDE_ACCOUNTS or --exclude)',
  'not-included': 'not included (outside ORG_INCLUDE_OUS / ORG_INCLUDE_ACCOUNTS / --accounts)',
  suspended: 'suspended or closing',
};

const COUNT_KEYS = [
  'deactivated',
  'deleted',
  'warned',
  'exempt',
  'held',
  'failed',
  'backlog',
  'planned',
  'ownersMailed',
  'ownerMailFailed',
] as const satisfies (keyof AccountCounts)[];

/** Sums every account's tallies. Pure. */
export function organizationTotals(
  results: AccountRunResult[],
  skipped: SkippedAccount[],
): OrganizationTotals {
  const totals = Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as unknown as AccountCounts;
  for (const result of results) for (const key of COUNT_KEYS) totals[key] += result.counts[key];
  return {
    ...totals,
    accounts: results.length,
    done: results.filter((result) => result.status === 'done').length,
    failedAccounts: results.filter((result) => result.status === 'failed').length,
    skipped: skipped.length,
    guardTripped: results.filter((result) => result.guardTripped).length,
    passwordPoliciesChanged: results.filter((result) => result.passwordPolicyChanged).length,
    rootKeyFindings: results.reduce((sum, result) => sum + result.rootKeyFindings, 0),
  };
}

/** `123456789012 (payments-prod)`, or with the account's name when it has no alias. */
export function accountTitle(account: { accountId: string; name: string; alias?: string }): string {
  return `${account.accountId} (${account.alias ?? account.name})`;
}

/** `[key-hygiene] Organization report 2026-11-30: 12 accounts, 3 deactivated, 1 deleted, 2 warned, 1 account failed`. */
export function organizationDigestSubject(
  input: Pick<OrganizationDigestInput, 'night' | 'dryRun' | 'guard'>,
  totals: OrganizationTotals,
): string {
  const prefix = input.dryRun ? '[key-hygiene] DRY RUN: ' : '[key-hygiene] ';
  const guard = input.guard?.tripped ? 'ORGANIZATION GUARD TRIPPED, ' : '';
  const held = input.dryRun || input.guard?.tripped === true;
  const parts = [
    `${totals.accounts} account${totals.accounts === 1 ? '' : 's'}`,
    ...(held
      ? [`${totals.planned} deactivations and deletions planned`]
      : [`${totals.deactivated} deactivated`, `${totals.deleted} deleted`]),
    `${totals.warned} warned`,
    totals.failedAccounts > 0
      ? `${totals.failedAccounts} account${totals.failedAccounts === 1 ? '' : 's'} failed`
      : '',
  ].filter(Boolean);
  return `${prefix}Organization report ${input.night}: ${guard}${parts.join(', ')}`;
}

const FOOTER =
  'Sent by key-hygiene after each nightly organization run. Each account’s own digest and owner mail went out as in a single-account run; the CSV lists every access key of every account that finished.';

/** One table of the digest as data: drawn in HTML and in text alike. */
interface DigestTable {
  title?: string;
  /** Many narrow columns: drawn with less padding to fit a mail's width. */
  compact?: boolean;
  columns: string[];
  rows: Cell[][];
}

const plain = (value: number | string): Cell => ({ text: String(value) });

/** The totals, every account, the failed and the skipped: the digest's tables, each defined once. Pure. */
function digestTables(input: OrganizationDigestInput, totals: OrganizationTotals): DigestTable[] {
  const failed = input.results.filter((result) => result.status === 'failed');
  const tables: DigestTable[] = [
    {
      columns: [
        'Deactivated',
        'Deleted',
        'Warned',
        'Exempt',
        'Held',
        'Failed',
        'Backlog',
        'Password policies changed',
        'Root keys',
      ],
      rows: [
        [
          totals.deactivated,
          totals.deleted,
          totals.warned,
          totals.exempt,
          totals.held,
          totals.failed,
          totals.backlog,
          totals.passwordPoliciesChanged,
          totals.rootKeyFindings,
        ].map(plain),
      ],
    },
    {
      title: 'Accounts',
      compact: true,
      columns: [
        'Account',
        'Status',
        'Deact.',
        'Del.',
        'Warned',
        'Exempt',
        'Held',
        'Failed',
        'Guard',
        'Backlog',
        'Policy',
        'Root keys',
      ],
      rows: input.results.map(accountRow),
    },
  ];
  if (failed.length > 0) {
    tables.push({
      title: `Accounts that failed (${failed.length})`,
      columns: ['Account', 'Why', 'Detail'],
      rows: failed.map((result) => [
        { text: accountTitle(result), code: true },
        plain(FAILURE_TEXT[result.failure?.kind ?? 'error']),
        plain(result.failure?.message ?? ''),
      ]),
    });
  }
  if (input.skipped.length > 0) {
    tables.push({
      title: `Accounts skipped (${input.skipped.length})`,
      columns: ['Account', 'Why'],
      rows: input.skipped.map((account) => [
        { text: accountTitle(account), code: true },
        plain(SKIP_TEXT[account.reason]),
      ]),
    });
  }
  return tables;
}

function accountRow(result: AccountRunResult): Cell[] {
  const { counts } = result;
  const status: Cell =
    result.status === 'failed'
      ? { text: 'failed', tone: 'danger' }
      : result.dryRun
        ? { text: 'dry run', tone: 'info' }
        : { text: 'done', tone: 'ok' };
  return [
    // The id on a line of its own and the alias (or name) under it: twelve columns fit a mail's width.
    { text: result.accountId, code: true, note: result.alias ?? result.name },
    status,
    ...[counts.deactivated, counts.deleted, counts.warned, counts.exempt, counts.held, counts.failed].map(
      plain,
    ),
    result.guardTripped ? { text: 'tripped', tone: 'danger' } : plain('-'),
    plain(counts.backlog),
    plain(result.passwordPolicyOutcome ?? '-'),
    result.rootKeyFindings > 0 ? { text: String(result.rootKeyFindings), tone: 'danger' } : plain(0),
  ];
}

/** The digest's lines of prose: how the night went, the guard, the inventory. Pure. */
function digestProse(input: OrganizationDigestInput, totals: OrganizationTotals, inventoryNote?: string) {
  const missing = missingInventories(input);
  return {
    intro: `${input.dryRun ? 'Dry run: nothing was changed, recorded or mailed to owners. ' : ''}${totals.accounts} accounts run, ${totals.done} finished, ${totals.failedAccounts} failed, ${totals.skipped} skipped.`,
    guard: input.guard?.tripped
      ? `Organization guard tripped: no account acted. ${input.guard.planned} deactivations and deletions planned, limit ${input.guard.limit} (ORG_MAX_ACTIONS). The figures are the forecast.`
      : undefined,
    notes: [
      ...(inventoryNote === undefined ? [] : [inventoryNote]),
      ...(missing.length > 0
        ? [`Keys missing from the CSV (account failed or inventory unavailable): ${missing.join(', ')}.`]
        : []),
    ],
  };
}

/** Renders the organization digest (HTML, text, and every account's keys as one CSV). Pure. */
export function renderOrganizationDigest(input: OrganizationDigestInput): MailMessage {
  const totals = organizationTotals(input.results, input.skipped);
  const subject = organizationDigestSubject(input, totals);
  const inventory = inventoryAttachment(organizationKeysCsv(input), input.night);
  const prose = digestProse(input, totals, inventory.note);
  const tables = digestTables(input, totals);
  const body = html`<p>${prose.intro}</p>
${prose.guard === undefined ? '' : html`<div style="border:2px solid ${TONE.danger};padding:10px 14px;margin:12px 0;border-radius:4px"><strong style="color:${TONE.danger}">${prose.guard}</strong></div>`}
${tables.map((part) => {
  const drawn = table(
    part.columns,
    part.rows.map((row) => row.map(cellHtml)),
    { compact: part.compact === true },
  );
  return part.title === undefined ? drawn : section(part.title, drawn);
})}
${prose.notes.map((note) => html`<p style="${STYLE.muted}">${note}</p>`)}`;
  const text = [
    subject,
    '',
    prose.intro,
    ...(prose.guard === undefined ? [] : ['', prose.guard]),
    ...tables.flatMap((part) => [
      '',
      ...(part.title === undefined ? [] : [`${part.title}:`]),
      textTable(
        part.columns.map((column) => column.toUpperCase()),
        part.rows.map((row) => row.map(cellText)),
      ),
    ]),
    ...prose.notes.flatMap((note) => ['', note]),
    '',
    `-- ${FOOTER}`,
  ].join('\n');
  return {
    to: input.to,
    subject,
    html: mailPage(subject, body, FOOTER).value,
    text,
    ...(inventory.attachment === undefined ? {} : { attachments: [inventory.attachment] }),
  };
}

function missingInventories(input: OrganizationDigestInput): string[] {
  return input.results
    .filter((result) => !input.inventories.has(result.accountId))
    .map((result) => result.accountId);
}

/**
 * Every key of every account as one CSV: the account's id, alias and name, then the inventory columns.
 * Every cell is defused: account names are free text, and an inventory may come from an older worker.
 */
export function organizationKeysCsv(input: Pick<OrganizationDigestInput, 'results' | 'inventories'>): string {
  const records = input.results.flatMap((result) =>
    (input.inventories.get(result.accountId) ?? []).map((record) =>
      [result.accountId, result.alias ?? '', result.name, ...record].map(defuseFormula),
    ),
  );
  return stringify([['account_id', 'account_alias', 'account_name', ...KEY_INVENTORY_COLUMNS], ...records]);
}
