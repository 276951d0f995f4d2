import { SERVICE_TAG_PREFIX } from '../kernel/index.ts';

/**
 * The records this service keeps of keys, in user tags, because IAM keeps no deactivation time and a
 * Lambda has no disk. Per inactive key: `key-hygiene:deactivated:<id>` when this service deactivated it,
 * `key-hygiene:inactive-since:<id>` when it found the key already inactive; the value is the ISO timestamp
 * from which the grace period counts. Per key whose owner was mailed: `key-hygiene:notified:<id>`, the
 * last notice sent (`warning-14`, `warning-7`, ..., `deactivated`, `reactivated`), so no notice goes out
 * twice. Per active key given a first notice: `key-hygiene:deactivate-on:<id>`, the deactivation date its
 * owner was told (ISO timestamp); the key is never deactivated before it.
 *
 * A deactivation record is written before the key is deactivated (so a run killed in between is finished
 * by the next) and marked confirmed once IAM has deactivated it: `<timestamp> confirmed`. The mark is what
 * tells "deactivated by us, then re-activated by someone" (a confirmed record of an active key: deactivated
 * again at once, the grace period keeps counting from the first deactivation) from "written, but the
 * deactivation never happened" (an unconfirmed record of an active key: stale, dropped). A run that finds
 * an unconfirmed record of an inactive key confirms it: the deactivation happened.
 */
const DEACTIVATED = `${SERVICE_TAG_PREFIX}deactivated:`;
const INACTIVE_SINCE = `${SERVICE_TAG_PREFIX}inactive-since:`;
const NOTIFIED = `${SERVICE_TAG_PREFIX}notified:`;
const DEACTIVATE_ON = `${SERVICE_TAG_PREFIX}deactivate-on:`;

/**
 * Every record tag key this service writes or removes, as IAM `StringLike` patterns: the enforceKeys role
 * may tag and untag only these, and the onboardUser role may never set them.
 */
export const RECORD_TAG_KEY_PATTERNS = [
  `${DEACTIVATED}*`,
  `${INACTIVE_SINCE}*`,
  `${NOTIFIED}*`,
  `${DEACTIVATE_ON}*`,
] as const;

export type InactiveSource = 'deactivated' | 'seen-inactive';

export interface InactiveRecord {
  accessKeyId: string;
  since: Date;
  source: InactiveSource;
  tagKey: string;
  /** A deactivation record marked once IAM had deactivated the key (always false for `seen-inactive`). */
  confirmed: boolean;
}

const CONFIRMED = ' confirmed';

export function deactivatedTag(accessKeyId: string): string {
  return `${DEACTIVATED}${accessKeyId}`;
}

export function inactiveSinceTag(accessKeyId: string): string {
  return `${INACTIVE_SINCE}${accessKeyId}`;
}

/** Value of a deactivation record: the time of the deactivation, and whether IAM has confirmed it. */
export function deactivatedValue(since: Date, confirmed: boolean): string {
  return `${since.toISOString()}${confirmed ? CONFIRMED : ''}`;
}

/**
 * The inactive records among a user's tags, by key id. A record whose value is not a timestamp is
 * ignored (and so replaced by a fresh one): the grace period then starts later, never earlier.
 * When both kinds exist for one key, the later date wins, for the same reason.
 */
export function readInactiveRecords(tags: Record<string, string>): Map<string, InactiveRecord> {
  const records = new Map<string, InactiveRecord>();
  for (const [tagKey, value] of Object.entries(tags)) {
    const source: InactiveSource | undefined = tagKey.startsWith(DEACTIVATED)
      ? 'deactivated'
      : tagKey.startsWith(INACTIVE_SINCE)
        ? 'seen-inactive'
        : undefined;
    if (source === undefined) continue;
    const accessKeyId = tagKey.slice(source === 'deactivated' ? DEACTIVATED.length : INACTIVE_SINCE.length);
    const confirmed = source === 'deactivated' && value.endsWith(CONFIRMED);
    const since = new Date(confirmed ? value.slice(0, -CONFIRMED.length) : value);
    if (accessKeyId === '' || Number.isNaN(since.getTime())) continue;
    const existing = records.get(accessKeyId);
    if (existing === undefined || existing.since.getTime() < since.getTime()) {
      records.set(accessKeyId, { accessKeyId, since, source, tagKey, confirmed });
    }
  }
  return records;
}

export function noticeTag(accessKeyId: string): string {
  return `${NOTIFIED}${accessKeyId}`;
}

/**
 * The last notice sent to a key's owner: a warning at so many days before the deadline, the deactivation,
 * or that the key was found re-activated and deactivated again (told once, however often it recurs).
 */
export type LastNotice =
  | { kind: 'warning'; stage: number }
  | { kind: 'deactivated' }
  | { kind: 'reactivated' };

/** Tag value of a notice record. */
export function noticeValue(notice: LastNotice): string {
  return notice.kind === 'warning' ? `warning-${notice.stage}` : notice.kind;
}

/** The notice records among a user's tags, by key id; unreadable values are ignored (the notice is re-sent). */
export function readNoticeRecords(tags: Record<string, string>): Map<string, LastNotice> {
  const notices = new Map<string, LastNotice>();
  for (const [tagKey, value] of Object.entries(tags)) {
    if (!tagKey.startsWith(NOTIFIED)) continue;
    const accessKeyId = tagKey.slice(NOTIFIED.length);
    const warning = /^warning-(\d+)$/.exec(value);
    if (warning) notices.set(accessKeyId, { kind: 'warning', stage: Number(warning[1]) });
    else if (value === 'deactivated' || value === 'reactivated') notices.set(accessKeyId, { kind: value });
  }
  return notices;
}

export function deactivateOnTag(accessKeyId: string): string {
  return `${DEACTIVATE_ON}${accessKeyId}`;
}

/**
 * The deactivation dates owners were told on first notice, by key id. A value that is not a timestamp is
 * ignored: the key then gets a first notice again, which tells a date later, never earlier.
 */
export function readToldDates(tags: Record<string, string>): Map<string, Date> {
  const told = new Map<string, Date>();
  for (const [tagKey, value] of Object.entries(tags)) {
    if (!tagKey.startsWith(DEACTIVATE_ON)) continue;
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) told.set(tagKey.slice(DEACTIVATE_ON.length), date);
  }
  return told;
}

/** Every record tag key for an access key, to remove once the key is deleted. */
export function recordTagsFor(accessKeyId: string): string[] {
  return [
    deactivatedTag(accessKeyId),
    inactiveSinceTag(accessKeyId),
    noticeTag(accessKeyId),
    deactivateOnTag(accessKeyId),
  ];
}

/**
 * The record tags that no longer describe a live key: inactive records of keys that are gone or active
 * again (they would start a later grace period at the wrong date), notice records of keys that are gone,
 * deactivation notices of keys active again (their next deactivation deserves its own notice), and told
 * deactivation dates of keys no longer active (a key active again gets its own first notice). Kept: a
 * confirmed deactivation record of a key active again, and its notice record: this service deactivated
 * that key, and its grace period never restarts.
 */
export function staleRecordTags(
  tags: Record<string, string>,
  liveKeys: { accessKeyId: string; status: 'Active' | 'Inactive' }[],
): string[] {
  const status = new Map(liveKeys.map((key) => [key.accessKeyId, key.status]));
  const records = readInactiveRecords(tags);
  const reactivated = (accessKeyId: string) =>
    status.get(accessKeyId) === 'Active' && records.get(accessKeyId)?.confirmed === true;
  return Object.entries(tags).flatMap(([tagKey, value]) => {
    if (tagKey.startsWith(DEACTIVATED)) {
      const accessKeyId = tagKey.slice(DEACTIVATED.length);
      return status.get(accessKeyId) === 'Inactive' || reactivated(accessKeyId) ? [] : [tagKey];
    }
    if (tagKey.startsWith(DEACTIVATE_ON))
      return status.get(tagKey.slice(DEACTIVATE_ON.length)) === 'Active' ? [] : [tagKey];
    if (tagKey.startsWith(INACTIVE_SINCE))
      return status.get(tagKey.slice(INACTIVE_SINCE.length)) === 'Inactive' ? [] : [tagKey];
    if (tagKey.startsWith(NOTIFIED)) {
      const accessKeyId = tagKey.slice(NOTIFIED.length);
      const keyStatus = status.get(accessKeyId);
      if (keyStatus === undefined) return [tagKey];
      if (keyStatus === 'Active' && value === 'deactivated' && !reactivated(accessKeyId)) return [tagKey];
    }
    return [];
  });
}

/**
 * The deactivation records to mark confirmed: unconfirmed ones of keys IAM shows inactive (a run killed
 * between the deactivation and its mark, or a record from before the mark existed). Tag key -> value.
 */
export function unconfirmedDeactivations(
  tags: Record<string, string>,
  liveKeys: { accessKeyId: string; status: 'Active' | 'Inactive' }[],
): Record<string, string> {
  const inactive = new Set(liveKeys.filter((key) => key.status === 'Inactive').map((key) => key.accessKeyId));
  const confirm: Record<string, string> = {};
  for (const record of readInactiveRecords(tags).values()) {
    if (record.source === 'deactivated' && !record.confirmed && inactive.has(record.accessKeyId))
      confirm[record.tagKey] = deactivatedValue(record.since, true);
  }
  return confirm;
}
