import { SERVICE_TAG_PREFIX } from '../kernel/index.ts';
import { readWarningRecord, warningRecordValue } from '../notices/index.ts';

/**
 * The records this service keeps of console access, in user tags (IAM keeps none of this):
 * - `key-hygiene:password-notified`: the last warning sent about the console password, when, and for which
 *   removal date: `warning-7 2026-11-30T03:00:00.000Z 2026-12-07T03:00:00.000Z`. Written once the mail is
 *   sent; a sign-in since moves the date and so voids the record.
 * - `key-hygiene:password-remove-on`: the removal date told on first notice, and the due date it was told
 *   for: `2026-12-01T00:00:00.000Z for 2026-11-20T03:00:00.000Z`. Written the night of the first notice,
 *   mail or no mail; a sign-in since moves the due date and so voids it.
 * - `key-hygiene:no-mfa`: since when the service has seen the user without MFA, and the last reminder:
 *   `since 2026-11-01T03:00:00.000Z reminded 2026-11-29T03:00:00.000Z`.
 */
export const PASSWORD_NOTICE_TAG = `${SERVICE_TAG_PREFIX}password-notified`;
export const PASSWORD_REMOVE_ON_TAG = `${SERVICE_TAG_PREFIX}password-remove-on`;
export const NO_MFA_TAG = `${SERVICE_TAG_PREFIX}no-mfa`;

/** Every record tag key enforceConsoleAccess writes or removes: its role may tag and untag only these. */
export const CONSOLE_RECORD_TAG_KEYS = [PASSWORD_NOTICE_TAG, PASSWORD_REMOVE_ON_TAG, NO_MFA_TAG] as const;

/** The last warning sent about a console password: its stage, when, and for which removal date. */
export interface PasswordNoticeRecord {
  stage: number;
  sentAt: Date;
  removalDate: Date;
}

export interface NoMfaRecord {
  since: Date;
  remindedAt?: Date;
}

const ISO = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)';
const NO_MFA = new RegExp(`^since ${ISO}(?: reminded ${ISO})?$`);
const REMOVE_ON = new RegExp(`^${ISO} for ${ISO}$`);

/** The removal date told on first notice, and the due date it was told for. */
export interface RemoveOnRecord {
  toldDate: Date;
  dueDate: Date;
}

export function passwordNoticeValue({ stage, sentAt, removalDate }: PasswordNoticeRecord): string {
  return warningRecordValue({ stage, sentAt, deadline: removalDate });
}

/** The password notice record among a user's tags; an unreadable one counts as none (warn again). */
export function readPasswordNotice(tags: Record<string, string>): PasswordNoticeRecord | undefined {
  const record = readWarningRecord(tags[PASSWORD_NOTICE_TAG]);
  return record && { stage: record.stage, sentAt: record.sentAt, removalDate: record.deadline };
}

export function noMfaValue(record: NoMfaRecord): string {
  const reminded = record.remindedAt === undefined ? '' : ` reminded ${record.remindedAt.toISOString()}`;
  return `since ${record.since.toISOString()}${reminded}`;
}

/** The no-MFA record among a user's tags; an unreadable one counts as none (the user is seen afresh). */
export function readNoMfa(tags: Record<string, string>): NoMfaRecord | undefined {
  const match = NO_MFA.exec(tags[NO_MFA_TAG] ?? '');
  if (match === null) return undefined;
  const since = new Date(match[1] ?? '');
  return match[2] === undefined ? { since } : { since, remindedAt: new Date(match[2]) };
}

export function removeOnValue({ toldDate, dueDate }: RemoveOnRecord): string {
  return `${toldDate.toISOString()} for ${dueDate.toISOString()}`;
}

/** The told removal date among a user's tags; an unreadable one counts as none (a first notice again). */
export function readRemoveOn(tags: Record<string, string>): RemoveOnRecord | undefined {
  const match = REMOVE_ON.exec(tags[PASSWORD_REMOVE_ON_TAG] ?? '');
  if (match === null) return undefined;
  return { toldDate: new Date(match[1] ?? ''), dueDate: new Date(match[2] ?? '') };
}
