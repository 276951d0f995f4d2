import { parse } from 'csv-parse/sync';
import { CredentialReportFormatError } from './errors.ts';
import {
  type AccessKeySlot,
  type CertificateSlot,
  CREDENTIAL_REPORT_COLUMNS,
  type CredentialReportColumn,
  type CredentialReportRow,
  type ReportDate,
  type ReportFlag,
  type ReportMarker,
  type ReportText,
  ROOT_ACCOUNT_USER,
} from './types.ts';

const MARKERS: ReadonlySet<string> = new Set<ReportMarker>(['N/A', 'no_information', 'not_supported']);
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses the CSV text of an IAM credential report into typed rows.
 * Fails closed: a missing, unknown or repeated column, or a value that is not of its column's kind, throws
 * rather than yielding a row that could be misread.
 * @throws {CredentialReportFormatError} naming the column (and row) at fault.
 */
export function parseCredentialReport(csv: string): CredentialReportRow[] {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: false });
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CredentialReportFormatError(`The credential report is not valid CSV: ${detail}`, {
      cause: error,
    });
  }
  const [header, ...body] = records;
  if (header === undefined)
    throw new CredentialReportFormatError('The credential report is empty: no header row');
  const columnIndex = checkHeader(header);
  return body.map((record, index) => parseRow(record, columnIndex, index + 2));
}

function checkHeader(header: string[]): Map<CredentialReportColumn, number> {
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
  return new Map(CREDENTIAL_REPORT_COLUMNS.map((column) => [column, names.indexOf(column)]));
}

function parseRow(
  record: string[],
  columnIndex: Map<CredentialReportColumn, number>,
  line: number,
): CredentialReportRow {
  const cell = (column: CredentialReportColumn): string => {
    const value = record[columnIndex.get(column) ?? -1];
    if (value === undefined) throw formatError(line, column, 'is missing');
    return value.trim();
  };
  const user = cell('user');
  if (user === '') throw formatError(line, 'user', 'is empty');
  const read = {
    date: (column: CredentialReportColumn) => readDate(cell(column), line, column),
    flag: (column: CredentialReportColumn) => readFlag(cell(column), line, column),
    text: (column: CredentialReportColumn) => readText(cell(column)),
  };
  const keySlot = (slot: 1 | 2): AccessKeySlot => ({
    slot,
    active: read.flag(`access_key_${slot}_active`),
    lastRotated: read.date(`access_key_${slot}_last_rotated`),
    lastUsedDate: read.date(`access_key_${slot}_last_used_date`),
    lastUsedRegion: read.text(`access_key_${slot}_last_used_region`),
    lastUsedService: read.text(`access_key_${slot}_last_used_service`),
  });
  const certificateSlot = (slot: 1 | 2): CertificateSlot => ({
    slot,
    active: read.flag(`cert_${slot}_active`),
    lastRotated: read.date(`cert_${slot}_last_rotated`),
  });
  return {
    user,
    arn: cell('arn'),
    isRoot: user === ROOT_ACCOUNT_USER,
    userCreationTime: read.date('user_creation_time'),
    passwordEnabled: read.flag('password_enabled'),
    passwordLastUsed: read.date('password_last_used'),
    passwordLastChanged: read.date('password_last_changed'),
    passwordNextRotation: read.date('password_next_rotation'),
    mfaActive: read.flag('mfa_active'),
    accessKeys: [keySlot(1), keySlot(2)],
    certificates: [certificateSlot(1), certificateSlot(2)],
  };
}

function readDate(value: string, line: number, column: CredentialReportColumn): ReportDate {
  if (MARKERS.has(value)) return value as ReportMarker;
  if (!ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw formatError(line, column, `is not a timestamp or N/A: ${JSON.stringify(value)}`);
  }
  return new Date(value);
}

function readFlag(value: string, line: number, column: CredentialReportColumn): ReportFlag {
  if (MARKERS.has(value)) return value as ReportMarker;
  // Documented as TRUE/FALSE, delivered as true/false: accept either.
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw formatError(line, column, `is not true, false or N/A: ${JSON.stringify(value)}`);
}

function readText(value: string): ReportText {
  return MARKERS.has(value) ? (value as ReportMarker) : value;
}

function formatError(line: number, column: string, problem: string): CredentialReportFormatError {
  return new CredentialReportFormatError(`Credential report line ${line}, column ${column} ${problem}`);
}
