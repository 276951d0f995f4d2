import Papa from 'papaparse';
import { IAM_USER_ARN, IAM_USER_NAME } from '../kernel/index.ts';
import { CredentialReportFormatError } from './errors.ts';
import {
  type AccessKeySlot,
  type CertificateSlot,
  CREDENTIAL_REPORT_COLUMNS,
  type CredentialReportColumn,
  type CredentialReportRow,
  type ParsedCredentialReport,
  type ReportDate,
  type ReportFlag,
  type ReportMarker,
  type ReportText,
  ROOT_ACCOUNT_USER,
  type UnreadableReportRow,
} from './types.ts';

const MARKERS: ReadonlySet<string> = new Set<ReportMarker>(['N/A', 'no_information', 'not_supported']);
// Every column has a documented form; a value outside it (a stray quote, a shifted cell) means the report
// cannot be read with certainty, so it is refused rather than guessed at.
const AWS_NAME = /^[a-z0-9][a-z0-9.-]*$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses the CSV text of an IAM credential report into typed rows, and sets aside the rows that cannot be
 * read: one odd row must not stop enforcement for the whole account, and its user can still be looked at
 * live. A row is set aside, never guessed at, when a value is not of its column's kind or the row does not
 * have the header's number of fields (unless it is the one form a comma in a user name takes unquoted, which
 * the row's own ARN confirms: see `rejoinUnquotedName`).
 * Fails closed on a report that cannot be read as a whole: a missing, unknown or repeated column, broken
 * quoting, or more unreadable rows than `maxUnreadableRows` allows.
 * @throws {CredentialReportFormatError} naming the column (and rows) at fault.
 */
export function parseCredentialReport(csv: string): ParsedCredentialReport {
  const records = readCsv(csv);
  const [header, ...body] = records;
  if (header === undefined)
    throw new CredentialReportFormatError('The credential report is empty: no header row');
  const columnIndex = checkHeader(header);
  const rows: CredentialReportRow[] = [];
  const unreadableRows: UnreadableReportRow[] = [];
  body.forEach((record, index) => {
    const line = index + 2;
    const fields = record.length === header.length ? record : rejoinUnquotedName(record, header.length);
    if (fields === undefined) {
      unreadableRows.push({
        line,
        problem: `Credential report line ${line} has ${record.length} fields, the header ${header.length}`,
      });
      return;
    }
    try {
      rows.push(parseRow(fields, columnIndex, line));
    } catch (error: unknown) {
      if (!(error instanceof CredentialReportFormatError)) throw error;
      const user = fields[columnIndex.user]?.trim() ?? '';
      unreadableRows.push({ line, problem: error.message, ...(IAM_USER_NAME.test(user) ? { user } : {}) });
    }
  });
  const limit = maxUnreadableRows(body.length);
  if (unreadableRows.length > limit) {
    const listed = unreadableRows
      .slice(0, 3)
      .map((row) => row.problem)
      .join('; ');
    throw new CredentialReportFormatError(
      `${unreadableRows.length} of the credential report's ${body.length} rows cannot be read, more than the ${limit} a run sets aside: the report itself is damaged (${listed}${unreadableRows.length > 3 ? '; ...' : ''}). No action is taken on a report that cannot be read with certainty.`,
    );
  }
  return { rows, unreadableRows };
}

/**
 * How many unreadable rows a report may have and still be used: 2% of its rows, at least 2 (a small
 * account's one or two odd users) and at most 25 (more damaged rows than that is a damaged report, not odd
 * users, whatever the account's size), and always fewer than half of the rows (a report that is mostly
 * garbage is refused). Each row set aside costs its user a live look, or is listed as a finding.
 */
export function maxUnreadableRows(rowCount: number): number {
  const share = Math.min(25, Math.max(2, Math.ceil(rowCount * 0.02)));
  return Math.max(0, Math.min(share, Math.ceil(rowCount / 2) - 1));
}

/**
 * IAM user names may contain commas. Written unquoted (as the emulator, and possibly IAM, writes them), the
 * name and the ARN that ends with it are each split at every comma: a row `a,b,arn:...:user/a,b,...` has
 * two fields more per comma. The row is rejoined only when that is exactly what happened: the fields before
 * the ARN rejoin to a user name, the ARN rejoins to end with that same name, and the rest has the header's
 * width. Anything else is `undefined`: the row is set aside.
 */
function rejoinUnquotedName(record: string[], width: number): string[] | undefined {
  const extra = record.length - width;
  if (extra <= 0 || extra % 2 !== 0) return undefined;
  const commas = extra / 2;
  const user = record.slice(0, commas + 1).join(',');
  const arn = record.slice(commas + 1, 2 * commas + 2).join(',');
  if (!IAM_USER_NAME.test(user) || !arn.endsWith(`/${user}`) || !IAM_USER_ARN.test(arn)) return undefined;
  return [user, arn, ...record.slice(2 * commas + 2)];
}

/**
 * Splits the report into records with PapaParse: RFC 4180 quoting, and four times faster than csv-parse on
 * a 5,000-user report (see BENCHMARKS.md), which matters for the 50 ms parse-and-plan budget. Broken
 * quoting is refused here (no row boundary after it can be trusted); the header is checked by name
 * afterwards, and rows of the wrong width are set aside by the caller.
 */
function readCsv(csv: string): string[][] {
  const result = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), {
    delimiter: ',',
    skipEmptyLines: true,
  });
  const [error] = result.errors;
  if (error !== undefined) {
    const where = error.row === undefined ? '' : ` (record ${error.row + 1})`;
    throw new CredentialReportFormatError(`The credential report is not valid CSV: ${error.message}${where}`);
  }
  return result.data;
}

function checkHeader(header: string[]): ColumnIndex {
  const names = header.map((name) => name.trim());
  const known = new Set<string>(CREDENTIAL_REPORT_COLUMNS);
  const unknown = names.filter((name) => !known.has(name));
  const missing = CREDENTIAL_REPORT_COLUMNS.filter((column) => !names.includes(column));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  const problems = [
    missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown column(s) ${unknown.join(', ')}` : '',
    repeated.length > 0 ? `repeated column(s) ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new CredentialReportFormatError(
      `The credential report header does not match the documented format: ${problems.join('; ')}. No action is taken on a report that cannot be read with certainty.`,
    );
  }
  return Object.fromEntries(
    CREDENTIAL_REPORT_COLUMNS.map((column) => [column, names.indexOf(column)]),
  ) as ColumnIndex;
}

type ColumnIndex = Readonly<Record<CredentialReportColumn, number>>;

// Column names per slot, spelled once: a report has thousands of rows.
const KEY_SLOTS = [
  {
    slot: 1,
    active: 'access_key_1_active',
    lastRotated: 'access_key_1_last_rotated',
    lastUsedDate: 'access_key_1_last_used_date',
    lastUsedRegion: 'access_key_1_last_used_region',
    lastUsedService: 'access_key_1_last_used_service',
  },
  {
    slot: 2,
    active: 'access_key_2_active',
    lastRotated: 'access_key_2_last_rotated',
    lastUsedDate: 'access_key_2_last_used_date',
    lastUsedRegion: 'access_key_2_last_used_region',
    lastUsedService: 'access_key_2_last_used_service',
  },
] as const;
const CERTIFICATE_SLOTS = [
  { slot: 1, active: 'cert_1_active', lastRotated: 'cert_1_last_rotated' },
  { slot: 2, active: 'cert_2_active', lastRotated: 'cert_2_last_rotated' },
] as const;

// Plain functions, not per-row closures: a report has thousands of rows, and closures made per row cost
// allocations (and, in the keepNames bundle, a naming call each).
function parseRow(record: string[], at: ColumnIndex, line: number): CredentialReportRow {
  const user = cell(record, at, line, 'user');
  if (user === '') throw formatError(line, 'user', 'is empty');
  if (user !== ROOT_ACCOUNT_USER && !IAM_USER_NAME.test(user)) {
    throw formatError(line, 'user', `is not an IAM user name: ${JSON.stringify(user)}`);
  }
  const arn = cell(record, at, line, 'arn');
  if (!IAM_USER_ARN.test(arn))
    throw formatError(line, 'arn', `is not an IAM user or root ARN: ${JSON.stringify(arn)}`);
  return {
    user,
    arn,
    isRoot: user === ROOT_ACCOUNT_USER,
    userCreationTime: date(record, at, line, 'user_creation_time'),
    passwordEnabled: flag(record, at, line, 'password_enabled'),
    passwordLastUsed: date(record, at, line, 'password_last_used'),
    passwordLastChanged: date(record, at, line, 'password_last_changed'),
    passwordNextRotation: date(record, at, line, 'password_next_rotation'),
    mfaActive: flag(record, at, line, 'mfa_active'),
    accessKeys: [keySlot(record, at, line, KEY_SLOTS[0]), keySlot(record, at, line, KEY_SLOTS[1])],
    certificates: [
      certificateSlot(record, at, line, CERTIFICATE_SLOTS[0]),
      certificateSlot(record, at, line, CERTIFICATE_SLOTS[1]),
    ],
  };
}

function keySlot(
  record: string[],
  at: ColumnIndex,
  line: number,
  columns: (typeof KEY_SLOTS)[number],
): AccessKeySlot {
  return {
    slot: columns.slot,
    active: flag(record, at, line, columns.active),
    lastRotated: date(record, at, line, columns.lastRotated),
    lastUsedDate: date(record, at, line, columns.lastUsedDate),
    lastUsedRegion: readName(cell(record, at, line, columns.lastUsedRegion), line, columns.lastUsedRegion),
    lastUsedService: readName(cell(record, at, line, columns.lastUsedService), line, columns.lastUsedService),
  };
}

function certificateSlot(
  record: string[],
  at: ColumnIndex,
  line: number,
  columns: (typeof CERTIFICATE_SLOTS)[number],
): CertificateSlot {
  return {
    slot: columns.slot,
    active: flag(record, at, line, columns.active),
    lastRotated: date(record, at, line, columns.lastRotated),
  };
}

function cell(record: string[], at: ColumnIndex, line: number, column: CredentialReportColumn): string {
  const value = record[at[column]];
  if (value === undefined) throw formatError(line, column, 'is missing');
  return value.trim();
}

function date(record: string[], at: ColumnIndex, line: number, column: CredentialReportColumn): ReportDate {
  return readDate(cell(record, at, line, column), line, column);
}

function flag(record: string[], at: ColumnIndex, line: number, column: CredentialReportColumn): ReportFlag {
  return readFlag(cell(record, at, line, column), line, column);
}

function readDate(value: string, line: number, column: CredentialReportColumn): ReportDate {
  if (MARKERS.has(value)) return value as ReportMarker;
  const time = ISO_TIMESTAMP.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw formatError(line, column, `is not a timestamp or N/A: ${JSON.stringify(value)}`);
  return new Date(time);
}

function readFlag(value: string, line: number, column: CredentialReportColumn): ReportFlag {
  if (MARKERS.has(value)) return value as ReportMarker;
  // Documented as TRUE/FALSE, delivered as true/false: accept either.
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw formatError(line, column, `is not true, false or N/A: ${JSON.stringify(value)}`);
}

/** A region or service name (`us-east-1`, `s3`, `execute-api`), or a marker. */
function readName(value: string, line: number, column: CredentialReportColumn): ReportText {
  if (MARKERS.has(value)) return value as ReportMarker;
  if (!AWS_NAME.test(value))
    throw formatError(line, column, `is not a region or service name: ${JSON.stringify(value)}`);
  return value;
}

function formatError(line: number, column: string, problem: string): CredentialReportFormatError {
  return new CredentialReportFormatError(`Credential report line ${line}, column ${column} ${problem}`);
}
