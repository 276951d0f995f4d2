import type { CredentialReportRow } from '../../credential-report/index.ts';
import type { ActivitySource } from '../types.ts';

export interface PasswordActivity {
  /** The last sign-in; undefined when the report shows none. */
  lastUsed: Date | undefined;
  /** What the unused period counts from: the later of the last sign-in and the password's last change. */
  lastActivity: Date;
  source: ActivitySource;
}

/**
 * What a console password's unused period counts from, read from the credential report as AWS documents it:
 * `password_last_used` is a date, or `no_information` when the password was never used (or not since IAM
 * began tracking, October 2014); `N/A` when the user has no password (moto writes `not_supported`).
 * `password_last_changed` is when the password was set. A password set again after its last use counts
 * from the new setting: it has not had its chance yet. With no date at all, the user's creation.
 * `undefined` when the row gives nothing to count from.
 */
export function passwordActivity(row: CredentialReportRow): PasswordActivity | undefined {
  const lastUsed = row.passwordLastUsed instanceof Date ? row.passwordLastUsed : undefined;
  const changed = row.passwordLastChanged instanceof Date ? row.passwordLastChanged : undefined;
  if (lastUsed !== undefined && (changed === undefined || lastUsed.getTime() >= changed.getTime())) {
    return { lastUsed, lastActivity: lastUsed, source: 'last sign-in' };
  }
  if (changed !== undefined) return { lastUsed, lastActivity: changed, source: 'password set, never used' };
  if (row.userCreationTime instanceof Date) {
    return { lastUsed, lastActivity: row.userCreationTime, source: 'user created, never used' };
  }
  return undefined;
}

/** A user with a console password, as the report says (the root account apart: it is never judged). */
export function hasConsolePassword(row: CredentialReportRow): boolean {
  return !row.isRoot && row.passwordEnabled === true;
}
