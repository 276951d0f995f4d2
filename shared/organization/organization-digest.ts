import { stringify } from 'csv-stringify/sync';
import { defuseFormula, KEY_INVENTORY_COLUMNS } from '../key-enforcement/index.ts';
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

/** Renders the organization digest (HTML, text, and every account's keys as one CSV). Pure. */
export function renderOrganizationDigest(input: OrganizationDigestInput): MailMessage {
  const totals = organizationTotals(input.results, input.skipped);
  const subject = organizationDigestSubject(input, totals);
  const failed = input.results.filter((result) => result.status === 'failed');
  const inventory = inventoryAttachment(organizationKeysCsv(input), input.night);
  const body = html`
<p>${input.dryRun ? html`<strong>Dry run:</strong> nothing was changed, recorded or mailed to owners. ` : ''}${totals.accounts} accounts run, ${totals.done} finished, ${totals.failedAccounts} failed, ${totals.skipped} skipped.</p>
${input.guard?.tripped ? html`<div style="border:2px solid ${TONE.danger};padding:10px 14px;margin:12px 0;border-radius:4px"><strong style="color:${TONE.danger}">Organization guard tripped: no account acted.</strong> ${input.guard.planned} deactivations and deletions were planned across the organization, more than the limit of ${input.guard.limit} (ORG_MAX_ACTIONS). The figures below are the forecast.</div>` : ''}
${table(
  [
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
  [
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
    ].map((value) => html`${value}`),
  ],
)}
${section('Accounts', table(['Account', 'Status', 'Deact.', 'Del.', 'Warned', 'Exempt', 'Held', 'Failed', 'Guard', 'Backlog', 'Password policy', 'Root keys'], input.results.map(accountRow)))}
${
  failed.length > 0
    ? section(
        `Accounts that failed (${failed.length})`,
        table(
          ['Account', 'Why', 'Detail'],
          failed.map((result) => [
            code(accountTitle(result)),
            html`${FAILURE_TEXT[result.failure?.kind ?? 'error']}`,
            html`${result.failure?.message ?? ''}`,
          ]),
        ),
      )
    : ''
}
${
  input.skipped.length > 0
    ? section(
        `Accounts skipped (${input.skipped.length})`,
        table(
          ['Account', 'Why'],
          input.skipped.map((account) => [code(accountTitle(account)), html`${SKIP_TEXT[account.reason]}`]),
        ),
      )
    : ''
}
${inventory.note === undefined ? '' : html`<p style="${STYLE.muted}">${inventory.note}</p>`}
${missingInventories(input).length > 0 ? html`<p style="${STYLE.muted}">Keys missing from the CSV (account failed or inventory unavailable): ${missingInventories(input).join(', ')}.</p>` : ''}`;

  return {
    to: input.to,
    subject,
    html: mailPage(subject, body, FOOTER).value,
    text: renderText(input, subject, totals, inventory.note),
    ...(inventory.attachment === undefined ? {} : { attachments: [inventory.attachment] }),
  };
}

function accountRow(result: AccountRunResult): SafeHtml[] {
  const { counts } = result;
  const status =
    result.status === 'failed'
      ? badge(FAILURE_TEXT[result.failure?.kind ?? 'error'], TONE.danger)
      : badge(result.dryRun ? 'dry run' : 'done', result.dryRun ? TONE.info : TONE.ok);
  return [
    code(accountTitle(result)),
    status,
    ...[counts.deactivated, counts.deleted, counts.warned, counts.exempt, counts.held, counts.failed].map(
      (value) => html`${value}`,
    ),
    result.guardTripped ? badge('tripped', TONE.danger) : html`—`,
    html`${counts.backlog}`,
    html`${result.passwordPolicyOutcome ?? '—'}`,
    result.rootKeyFindings > 0 ? badge(String(result.rootKeyFindings), TONE.danger) : html`0`,
  ];
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

function renderText(
  input: OrganizationDigestInput,
  subject: string,
  totals: OrganizationTotals,
  inventoryNote: string | undefined,
): string {
  const lines = [
    subject,
    '',
    `${input.dryRun ? 'DRY RUN: nothing was changed, recorded or mailed to owners. ' : ''}${totals.accounts} accounts run, ${totals.done} finished, ${totals.failedAccounts} failed, ${totals.skipped} skipped.`,
  ];
  if (input.guard?.tripped) {
    lines.push(
      '',
      `ORGANIZATION GUARD TRIPPED: no account acted. ${input.guard.planned} deactivations and deletions planned, limit ${input.guard.limit} (ORG_MAX_ACTIONS). The figures are the forecast.`,
    );
  }
  lines.push(
    '',
    textTable(
      [
        'ACCOUNT',
        'STATUS',
        'DEACT',
        'DEL',
        'WARNED',
        'EXEMPT',
        'HELD',
        'FAILED',
        'GUARD',
        'BACKLOG',
        'PASSWORD POLICY',
        'ROOT KEYS',
      ],
      input.results.map((result) => [
        accountTitle(result),
        result.status === 'failed'
          ? FAILURE_TEXT[result.failure?.kind ?? 'error']
          : result.dryRun
            ? 'dry run'
            : 'done',
        ...[
          result.counts.deactivated,
          result.counts.deleted,
          result.counts.warned,
          result.counts.exempt,
          result.counts.held,
          result.counts.failed,
        ].map(String),
        result.guardTripped ? 'tripped' : '-',
        String(result.counts.backlog),
        result.passwordPolicyOutcome ?? '-',
        String(result.rootKeyFindings),
      ]),
    ),
  );
  const failed = input.results.filter((result) => result.status === 'failed');
  if (failed.length > 0) {
    lines.push(
      '',
      'Accounts that failed:',
      textTable(
        ['ACCOUNT', 'WHY', 'DETAIL'],
        failed.map((result) => [
          accountTitle(result),
          FAILURE_TEXT[result.failure?.kind ?? 'error'],
          result.failure?.message ?? '',
        ]),
      ),
    );
  }
  if (input.skipped.length > 0) {
    lines.push(
      '',
      'Accounts skipped:',
      textTable(
        ['ACCOUNT', 'WHY'],
        input.skipped.map((account) => [accountTitle(account), SKIP_TEXT[account.reason]]),
      ),
    );
  }
  if (inventoryNote !== undefined) lines.push('', inventoryNote);
  lines.push('', `-- ${FOOTER}`);
  return lines.join('\n');
}
