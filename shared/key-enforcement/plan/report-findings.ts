import type { UnreadableReportRow } from '../../credential-report/index.ts';
import type { Finding } from '../types.ts';

/**
 * The users of report rows set aside as unreadable whose names could be read: they are looked at live
 * tonight, whatever their row said, since every decision is made on the live keys anyway.
 */
export function usersOfUnreadableRows(rows: UnreadableReportRow[]): string[] {
  return rows.flatMap((row) => (row.user === undefined ? [] : [row.user]));
}

/**
 * What the digest and the summary say of a report row set aside: its user was looked at live instead, or,
 * when even the user name cannot be read, that no key of that user was checked tonight (critical: a user
 * outside enforcement until the report reads again).
 */
export function unreadableRowFinding(row: UnreadableReportRow): Finding {
  if (row.user !== undefined) {
    return {
      severity: 'warning',
      subject: row.user,
      message: `${row.problem}. The row was set aside and the user's keys were looked at live instead.`,
    };
  }
  return {
    severity: 'critical',
    subject: `credential report line ${row.line}`,
    message: `${row.problem}. The row was set aside and its user cannot be named: no key of that user was checked tonight. Look at the report and at that user by hand.`,
  };
}
