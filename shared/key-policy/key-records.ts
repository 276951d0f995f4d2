/**
 * The records this service keeps of inactive keys, in user tags, because IAM keeps no deactivation time
 * and a Lambda has no disk. One tag per inactive key: `key-hygiene:deactivated:<id>` when this service
 * deactivated it, `key-hygiene:inactive-since:<id>` when it found the key already inactive. The value is
 * the ISO timestamp from which the grace period counts.
 */
export const RECORD_TAG_PREFIX = 'key-hygiene:';
const DEACTIVATED = `${RECORD_TAG_PREFIX}deactivated:`;
const INACTIVE_SINCE = `${RECORD_TAG_PREFIX}inactive-since:`;

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

/** Every record tag key for an access key, to remove once the key is deleted. */
export function recordTagsFor(accessKeyId: string): string[] {
  return [deactivatedTag(accessKeyId), inactiveSinceTag(accessKeyId)];
}

/** Every record tag key present among the tags, with the key id it names. */
export function recordTagKeys(tags: Record<string, string>): { tagKey: string; accessKeyId: string }[] {
  return Object.keys(tags).flatMap((tagKey) => {
    const prefix = [DEACTIVATED, INACTIVE_SINCE].find((candidate) => tagKey.startsWith(candidate));
    return prefix === undefined ? [] : [{ tagKey, accessKeyId: tagKey.slice(prefix.length) }];
  });
}
