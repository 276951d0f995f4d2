import { addDays } from '../../kernel/index.ts';
import { ownerRecipient, type Recipient, type RecipientSettings } from '../../mail/index.ts';
import { daysLeft, dueStage } from '../../notices/index.ts';
import { type LastNotice, noticeTag, noticeValue, readNoticeRecords } from '../key-records.ts';
import type { KeyDecision, KeyNotice, KeyResult, UserKeyFacts } from '../types.ts';

export interface KeyNoticeItem {
  accessKeyId: string;
  ageDays: number;
  createDate: Date;
  reason: string;
  notice: KeyNotice;
}

/** Everything one owner is told tonight, in one mail. */
export interface OwnerNotice {
  userName: string;
  recipient: Recipient;
  items: KeyNoticeItem[];
  /** Notice records to write once the mail is sent. */
  records: Record<string, string>;
}

export interface OwnerNoticeInput {
  decisions: KeyDecision[];
  results: KeyResult[];
  users: UserKeyFacts[];
  warningNoticeDays: number[];
  inactiveGraceDays: number;
  recipients: RecipientSettings;
  now: Date;
}

/**
 * Decides which owner is told what tonight. Pure. Per key:
 * - a warning when its days left reach a notice day (14, 7, 1, ...) not yet sent; a missed night does not
 *   skip a warning, it sends the most urgent one due; a first notice goes out whatever its days left;
 * - a deactivation notice when this run deactivated it, or when an earlier run did and the notice was never
 *   recorded as sent (a failed send is retried the next night); for a key found re-activated after this
 *   service deactivated it, a notice saying so, once (recorded as `reactivated`);
 * - a deletion notice when this run deleted it.
 * Nothing is sent twice: a notice is recorded in a user tag once its mail is sent.
 */
export function planOwnerNotices(input: OwnerNoticeInput): OwnerNotice[] {
  const resultOf = new Map(input.results.map((result) => [result.decision.accessKeyId, result]));
  const notices: OwnerNotice[] = [];
  for (const user of input.users) {
    const sent = readNoticeRecords(user.tags);
    const items: KeyNoticeItem[] = [];
    const records: Record<string, string> = {};
    for (const decision of input.decisions.filter((candidate) => candidate.userName === user.userName)) {
      const notice = noticeFor(
        decision,
        resultOf.get(decision.accessKeyId),
        sent.get(decision.accessKeyId),
        input,
      );
      if (notice === undefined) continue;
      items.push({
        accessKeyId: decision.accessKeyId,
        ageDays: decision.ageDays,
        createDate: decision.createDate,
        reason: decision.reason,
        notice,
      });
      const record = recordOf(notice);
      if (record !== undefined)
        records[noticeTag(decision.accessKeyId)] = noticeValue(record, decision.createDate);
    }
    if (items.length > 0) {
      notices.push({
        userName: user.userName,
        recipient: ownerRecipient(user.userName, user.tags, input.recipients),
        items,
        records,
      });
    }
  }
  return notices;
}

/**
 * Whether the owner of a key is due a notice tonight that no change comes first: a warning (its notice
 * day reached and not yet sent, or a first notice), or the late notice of a deactivation never told. Pure.
 */
export function noticeDueWithoutChange(
  decision: KeyDecision,
  lastSent: LastNotice | undefined,
  settings: Pick<OwnerNoticeInput, 'warningNoticeDays' | 'inactiveGraceDays' | 'now'>,
): boolean {
  return noticeFor(decision, undefined, lastSent, settings) !== undefined;
}

function noticeFor(
  decision: KeyDecision,
  result: KeyResult | undefined,
  lastSent: LastNotice | undefined,
  input: Pick<OwnerNoticeInput, 'warningNoticeDays' | 'inactiveGraceDays' | 'now'>,
): KeyNotice | undefined {
  if (decision.decision === 'warn' && decision.deactivationDate !== undefined) {
    const left = daysLeft(decision.deactivationDate, input.now);
    // A first notice tells a date that may lie beyond the first notice day: it is sent tonight all the same.
    const stage = dueStage(left, input.warningNoticeDays) ?? (decision.firstNotice ? left : undefined);
    if (stage === undefined) return undefined;
    if (lastSent?.kind === 'warning' && lastSent.stage <= stage) return undefined;
    return {
      kind: 'warning',
      stage,
      daysLeft: left,
      deactivationDate: decision.deactivationDate,
      ...(decision.firstNotice ? { firstNotice: true } : {}),
    };
  }
  if (decision.decision === 'deactivate' && result?.outcome === 'done') {
    const at = result.actedAt ?? input.now;
    if (decision.deactivationRule === 'reactivated') {
      // Told once: a key re-activated every morning is deactivated every night, but not mailed about.
      if (lastSent?.kind === 'reactivated' || decision.inactiveSince === undefined) return undefined;
      return {
        kind: 'deactivated',
        at,
        deletionDate: decision.deletionDate ?? addDays(decision.inactiveSince, input.inactiveGraceDays),
        late: false,
        firstDeactivatedAt: decision.inactiveSince,
      };
    }
    return { kind: 'deactivated', at, deletionDate: addDays(at, input.inactiveGraceDays), late: false };
  }
  if (decision.decision === 'delete' && result?.outcome === 'done') {
    return { kind: 'deleted', at: result.actedAt ?? input.now };
  }
  const deactivatedEarlier =
    decision.decision === 'none' &&
    decision.status === 'Inactive' &&
    decision.inactiveSource === 'deactivated' &&
    decision.inactiveSince !== undefined &&
    decision.deletionDate !== undefined;
  if (deactivatedEarlier && (lastSent === undefined || lastSent.kind === 'warning')) {
    return {
      kind: 'deactivated',
      at: decision.inactiveSince as Date,
      deletionDate: decision.deletionDate as Date,
      late: true,
    };
  }
  return undefined;
}

function recordOf(notice: KeyNotice): LastNotice | undefined {
  if (notice.kind === 'warning') return { kind: 'warning', stage: notice.stage };
  if (notice.kind === 'deactivated')
    return { kind: notice.firstDeactivatedAt === undefined ? 'deactivated' : 'reactivated' };
  // A deleted key's tags are gone with it; there is nothing left to notify twice.
  return undefined;
}

/**
 * What is left of an owner's notice once the notice records in the user's tags, read again just before
 * sending, are taken into account: another run (the nightly event delivered twice) may have sent some of it
 * since this run planned. `undefined` when nothing is left. Pure.
 */
export function unsentPart(notice: OwnerNotice, tags: Record<string, string>): OwnerNotice | undefined {
  const sent = readNoticeRecords(tags);
  const items = notice.items.filter((item) => !alreadySent(item.notice, sent.get(item.accessKeyId)));
  if (items.length === 0) return undefined;
  if (items.length === notice.items.length) return notice;
  const kept = new Set(items.map((item) => noticeTag(item.accessKeyId)));
  const records = Object.fromEntries(Object.entries(notice.records).filter(([tag]) => kept.has(tag)));
  return { ...notice, items, records };
}

function alreadySent(notice: KeyNotice, last: LastNotice | undefined): boolean {
  if (last === undefined) return false;
  switch (notice.kind) {
    case 'warning':
      // The same or a more urgent warning, or the deactivation itself, has been told.
      return last.kind !== 'warning' || last.stage <= notice.stage;
    case 'deactivated':
      return notice.firstDeactivatedAt === undefined ? last.kind !== 'warning' : last.kind === 'reactivated';
    case 'deleted':
      // A deleted key leaves no record to find.
      return false;
  }
}
