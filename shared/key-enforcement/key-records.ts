import { SERVICE_TAG_PREFIX } from '../kernel/index.ts';

/**
 * The records this service keeps of keys, in user tags, because IAM keeps no deactivation time and a
 * Lambda has no disk. Per inactive key: `key-hygiene:deactivated:<id>` when this service deactivated it,
 * `key-hygiene:inactive-since:<id>` when it found the key already inactive; the value is the ISO timestamp
 * from which the grace period counts. Per key whose owner was mailed: `key-hygiene:notified:<id>`, the
 * last notice sent (`warning-14`, `warning-7`, ..., `deactivated`), so no notice goes out twice. Per active
 * key given a first notice: `key-hygiene:deactivate-on:<id>`, the deactivation date its owner was told
 * (ISO timestamp); the key is never deactivated before it.
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
}

export function deactivatedTag(accessKeyId: string): string {
  return `${DEACTIVATED}${accessKeyId}`;
}

export function inactiveSinceTag(accessKeyId: string): string {
  return `${INACTIVE_SINCE}${accessKeyId}`;
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
    const since = new Date(value);
    if (accessKeyId === '' || Number.isNaN(since.getTime())) continue;
    const existing = records.get(accessKeyId);
    if (existing === undefined || existing.since.getTime() < since.getTime()) {
      records.set(accessKeyId, { accessKeyId, since, source, tagKey });
    }
  }
  return records;
}

export function noticeTag(accessKeyId: string): string {
  return `${NOTIFIED}${accessKeyId}`;
}

/** The last notice sent to a key's owner: a warning at so many days before the deadline, or the deactivation. */
export type LastNotice = { kind: 'warning'; stage: number } | { kind: 'deactivated' };

/** Tag value of a notice record. */
export function noticeValue(notice: LastNotice): string {
  return notice.kind === 'warning' ? `warning-${notice.stage}` : 'deactivated';
}

/** The notice records among a user's tags, by key id; unreadable values are ignored (the notice is re-sent). */
export function readNoticeRecords(tags: Record<string, string>): Map<string, LastNotice> {
  const notices = new Map<string, LastNotice>();
  for (const [tagKey, value] of Object.entries(tags)) {
    if (!tagKey.startsWith(NOTIFIED)) continue;
    const accessKeyId = tagKey.slice(NOTIFIED.length);
    const warning = /^warning-(\d+)$/.exec(value);
    if (warning) notices.set(accessKeyId, { kind: 'warning', stage: Number(warning[1]) });
    else if (value === 'deactivated') notices.set(accessKeyId, { kind: 'deactivated' });
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
 * deactivation dates of keys no longer active (a key active again gets its own first notice).
 */
export function staleRecordTags(
  tags: Record<string, string>,
  liveKeys: { accessKeyId: string; status: 'Active' | 'Inactive' }[],
): string[] {
  const status = new Map(liveKeys.map((key) => [key.accessKeyId, key.status]));
  return Object.entries(tags).flatMap(([tagKey, value]) => {
    for (const prefix of [DEACTIVATED, INACTIVE_SINCE]) {
      if (tagKey.startsWith(prefix))
        return status.get(tagKey.slice(prefix.length)) === 'Inactive' ? [] : [tagKey];
    }
    if (tagKey.startsWith(DEACTIVATE_ON))
      return status.get(tagKey.slice(DEACTIVATE_ON.length)) === 'Active' ? [] : [tagKey];
    if (tagKey.startsWith(NOTIFIED)) {
      const keyStatus = status.get(tagKey.slice(NOTIFIED.length));
      if (keyStatus === undefined || (keyStatus === 'Active' && value === 'deactivated')) return [tagKey];
    }
    return [];
  });
}
