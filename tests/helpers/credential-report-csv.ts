import { readFileSync } from 'node:fs';
import {
  CREDENTIAL_REPORT_COLUMNS,
  type CredentialReportColumn,
} from '../../shared/credential-report/types.ts';

/** The AWS-format sample report (root row, paths, no_information, certificates): see tests/fixtures. */
export function sampleReportCsv(): string {
  return readFileSync(new URL('../fixtures/credential-report-sample.csv', import.meta.url), 'utf8');
}

const BLANK_ROW: Record<CredentialReportColumn, string> = {
  user: 'someone',
  arn: 'arn:aws:iam::123456789012:user/someone',
  user_creation_time: '2025-01-01T00:00:00+00:00',
  password_enabled: 'false',
  password_last_used: 'N/A',
  password_last_changed: 'N/A',
  password_next_rotation: 'N/A',
  mfa_active: 'false',
  access_key_1_active: 'false',
  access_key_1_last_rotated: 'N/A',
  access_key_1_last_used_date: 'N/A',
  access_key_1_last_used_region: 'N/A',
  access_key_1_last_used_service: 'N/A',
  access_key_2_active: 'false',
  access_key_2_last_rotated: 'N/A',
  access_key_2_last_used_date: 'N/A',
  access_key_2_last_used_region: 'N/A',
  access_key_2_last_used_service: 'N/A',
  cert_1_active: 'false',
  cert_1_last_rotated: 'N/A',
  cert_2_active: 'false',
  cert_2_last_rotated: 'N/A',
};

/** A report in AWS's column order; each row names only the cells that differ from a user with no credentials. */
export function reportCsv(rows: Partial<Record<CredentialReportColumn, string>>[]): string {
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  for (const row of rows) {
    const user = row.user ?? BLANK_ROW.user;
    const full = { ...BLANK_ROW, arn: `arn:aws:iam::123456789012:user/${user}`, ...row };
    lines.push(CREDENTIAL_REPORT_COLUMNS.map((column) => csvCell(full[column])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The report's timestamp form: `2026-11-23T03:00:00+00:00`. */
export function reportTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
