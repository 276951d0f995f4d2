/** The report's own markers for a missing value; kept distinct because they mean different things. */
export type ReportMarker = 'N/A' | 'no_information' | 'not_supported';

export type ReportDate = Date | ReportMarker;
export type ReportFlag = boolean | ReportMarker;
export type ReportText = string | ReportMarker;

export interface AccessKeySlot {
  slot: 1 | 2;
  active: ReportFlag;
  lastRotated: ReportDate;
  lastUsedDate: ReportDate;
  lastUsedRegion: ReportText;
  lastUsedService: ReportText;
}

export interface CertificateSlot {
  slot: 1 | 2;
  active: ReportFlag;
  lastRotated: ReportDate;
}

export interface CredentialReportRow {
  user: string;
  arn: string;
  /** The `<root_account>` row: never acted on, only reported. */
  isRoot: boolean;
  userCreationTime: ReportDate;
  passwordEnabled: ReportFlag;
  passwordLastUsed: ReportDate;
  passwordLastChanged: ReportDate;
  passwordNextRotation: ReportDate;
  mfaActive: ReportFlag;
  accessKeys: [AccessKeySlot, AccessKeySlot];
  certificates: [CertificateSlot, CertificateSlot];
}

/** A row of the report that could not be read: set aside rather than guessed at. */
export interface UnreadableReportRow {
  /** The line of the report (the header is line 1). */
  line: number;
  /** The row's user, when its name is readable: that user is looked at live instead. */
  user?: string;
  /** What is wrong, naming the line and column. */
  problem: string;
}

/** A report's readable rows and the rows set aside. */
export interface ParsedCredentialReport {
  rows: CredentialReportRow[];
  unreadableRows: UnreadableReportRow[];
}

export interface CredentialReport extends ParsedCredentialReport {
  generatedAt: Date;
}

export const ROOT_ACCOUNT_USER = '<root_account>';

/** Every column of the report, in AWS's order. A report with any other set of columns is refused. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

export type CredentialReportColumn = (typeof CREDENTIAL_REPORT_COLUMNS)[number];

/**
 * Whether a slot holds a key. The report has no key ids; a slot is a key when it is active or shows a
 * rotation or last-used date (AWS leaves `last_rotated` as N/A for some inactive keys).
 */
export function slotHoldsKey(slot: AccessKeySlot): boolean {
  return slot.active === true || slot.lastRotated instanceof Date || slot.lastUsedDate instanceof Date;
}
