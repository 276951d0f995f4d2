import Papa from 'papaparse';
import {
  CREDENTIAL_REPORT_COLUMNS,
  type CredentialReportColumn,
  parseCredentialReport,
} from '../../shared/credential-report/index.ts';
import {
  type KeyPolicySettings,
  type NightLimits,
  planKeyActions,
  selectUsersForReview,
  type UserKeyFacts,
} from '../../shared/key-enforcement/index.ts';
import type { BenchAccount } from './bench-account.ts';
import { type Distribution, distribution } from './distribution.ts';

const ACCOUNT_ID = '123456789012';
const WARMUP_ITERATIONS = 5;

export interface ParsePlanTiming {
  users: number;
  reportBytes: number;
  /** Users the report flags for a live look (the per-user requests of a real run). */
  flagged: number;
  deactivations: number;
  iterations: number;
  /** Milliseconds per step, and for the three together. */
  parseMs: Distribution;
  /**
   * For reference, not part of the total: PapaParse alone on the same text, with the options
   * parseCredentialReport gives it, i.e. the library's share of `parseMs`.
   */
  csvLibraryMs: Distribution;
  selectMs: Distribution;
  planMs: Distribution;
  totalMs: Distribution;
}

/** The report time format: whole seconds with a `+00:00` offset. */
function reportTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * The account's credential report as IAM writes it: AWS's header, a `<root_account>` row without keys, then
 * one row per user with its keys in creation order.
 */
export function credentialReportCsv(account: BenchAccount): string {
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  const row = (cells: Record<CredentialReportColumn, string>) =>
    lines.push(CREDENTIAL_REPORT_COLUMNS.map((column) => cells[column]).join(','));
  const noKey = (slot: 1 | 2) => ({
    [`access_key_${slot}_active`]: 'false',
    [`access_key_${slot}_last_rotated`]: 'N/A',
    [`access_key_${slot}_last_used_date`]: 'N/A',
    [`access_key_${slot}_last_used_region`]: 'N/A',
    [`access_key_${slot}_last_used_service`]: 'N/A',
  });
  const noCertificates = {
    cert_1_active: 'false',
    cert_1_last_rotated: 'N/A',
    cert_2_active: 'false',
    cert_2_last_rotated: 'N/A',
  };
  row({
    user: '<root_account>',
    arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
    user_creation_time: '2020-01-01T00:00:00+00:00',
    password_enabled: 'not_supported',
    password_last_used: reportTime(account.options.now),
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    mfa_active: 'true',
    ...noKey(1),
    ...noKey(2),
    ...noCertificates,
  } as Record<CredentialReportColumn, string>);
  for (const user of account.users) {
    const keys = user.keys ?? [];
    const slot = (number: 1 | 2) => {
      const key = keys[number - 1];
      if (key === undefined) return noKey(number);
      return {
        [`access_key_${number}_active`]: key.status === 'Inactive' ? 'false' : 'true',
        [`access_key_${number}_last_rotated`]: reportTime(key.createDate),
        [`access_key_${number}_last_used_date`]: key.lastUsed ? reportTime(key.lastUsed.date) : 'N/A',
        [`access_key_${number}_last_used_region`]: key.lastUsed?.region ?? 'N/A',
        [`access_key_${number}_last_used_service`]: key.lastUsed?.service ?? 'N/A',
      };
    };
    const created = keys[0]?.createDate ?? account.options.now;
    row({
      user: user.userName,
      arn: `arn:aws:iam::${ACCOUNT_ID}:user/${user.userName}`,
      user_creation_time: reportTime(created),
      password_enabled: 'false',
      password_last_used: 'N/A',
      password_last_changed: 'N/A',
      password_next_rotation: 'N/A',
      mfa_active: 'false',
      ...slot(1),
      ...slot(2),
      ...noCertificates,
    } as Record<CredentialReportColumn, string>);
  }
  return `${lines.join('\n')}\n`;
}

/** What ListAccessKeys and ListUserTags would answer for the named users of the account. */
export function liveFacts(account: BenchAccount, userNames: string[]): UserKeyFacts[] {
  const wanted = new Set(userNames);
  return account.users
    .map((user, userIndex) => ({ user, userIndex }))
    .filter(({ user }) => wanted.has(user.userName))
    .map(({ user, userIndex }) => ({
      userName: user.userName,
      tags: user.tags ?? {},
      liveKeys: (user.keys ?? []).map((key, keyIndex) => ({
        userName: user.userName,
        accessKeyId: `AKIA${String(userIndex * 2 + keyIndex).padStart(16, '0')}`,
        status: key.status ?? 'Active',
        createDate: key.createDate,
      })),
    }));
}

/**
 * Times the pure core of a run on the account's credential report: parse the CSV, select the users to look
 * at, plan every key. Pure CPU, no I/O; the live facts of the flagged users are built outside the timing.
 * @throws {Error} when the plan does not deactivate exactly the account's due keys (a broken measurement).
 */
export function timeParseAndPlan(
  account: BenchAccount,
  settings: KeyPolicySettings,
  limits: NightLimits,
  iterations: number,
): ParsePlanTiming {
  const csv = credentialReportCsv(account);
  const now = account.options.now;
  const samples = {
    parse: [] as number[],
    csvLibrary: [] as number[],
    select: [] as number[],
    plan: [] as number[],
    total: [] as number[],
  };
  let flagged = 0;
  let deactivations = 0;
  for (let iteration = -WARMUP_ITERATIONS; iteration < iterations; iteration += 1) {
    const libraryStarted = performance.now();
    Papa.parse(csv, { delimiter: ',', skipEmptyLines: true });
    const libraryDone = performance.now();
    const started = performance.now();
    const rows = parseCredentialReport(csv).rows;
    const parsed = performance.now();
    const userNames = selectUsersForReview(rows, settings, now);
    const selected = performance.now();
    const users = liveFacts(account, userNames);
    const planStarted = performance.now();
    const plan = planKeyActions({ rows, users, settings, limits, now });
    const planned = performance.now();
    flagged = userNames.length;
    deactivations = plan.decisions.filter((decision) => decision.decision === 'deactivate').length;
    if (iteration < 0) continue;
    samples.parse.push(parsed - started);
    samples.csvLibrary.push(libraryDone - libraryStarted);
    samples.select.push(selected - parsed);
    samples.plan.push(planned - planStarted);
    samples.total.push(planned - planStarted + (selected - started));
  }
  if (deactivations !== account.dueKeys) {
    throw new Error(`the plan deactivates ${deactivations} keys, the account has ${account.dueKeys} due`);
  }
  return {
    users: account.users.length,
    reportBytes: Buffer.byteLength(csv),
    flagged,
    deactivations,
    iterations,
    parseMs: distribution(samples.parse),
    csvLibraryMs: distribution(samples.csvLibrary),
    selectMs: distribution(samples.select),
    planMs: distribution(samples.plan),
    totalMs: distribution(samples.total),
  };
}
