// credential-report: fetches IAM's credential report (generate, bounded wait, get) and parses it into
// typed rows that keep AWS's special values apart. The nightly inventory of every capability.
export { fetchCredentialReport, reportWaitBudgetMs } from './fetch-report.ts';
export { maxUnreadableRows, parseCredentialReport } from './parse-report.ts';
export type {
  AccessKeySlot,
  CredentialReport,
  CredentialReportColumn,
  CredentialReportRow,
  ParsedCredentialReport,
  ReportDate,
  ReportFlag,
  ReportText,
  UnreadableReportRow,
} from './types.ts';
export { CREDENTIAL_REPORT_COLUMNS, ROOT_ACCOUNT_USER, slotHoldsKey } from './types.ts';
