import { ownerRecipient, type Recipient, type RecipientSettings } from '../../mail/index.ts';
import { daysLeft, nightsApart } from '../../notices/index.ts';
import {
  NO_MFA_TAG,
  noMfaValue,
  PASSWORD_NOTICE_TAG,
  passwordNoticeValue,
  readNoMfa,
  readPasswordNotice,
} from '../console-records.ts';
import type { ActivitySource, ConsoleAccessPlan, RemovalResult } from '../types.ts';

export type ConsoleNotice =
  | {
      kind: 'warning';
      stage: number;
      daysLeft: number;
      removalDate: Date;
      lastActivity: Date;
      activitySource: ActivitySource;
      /** The owner's first notice: never told before, and the password is kept until the date it tells. */
      firstNotice?: true;
    }
  | { kind: 'removed'; at: Date; lastActivity: Date; activitySource: ActivitySource }
  | { kind: 'mfa-reminder'; withoutMfaSince: Date; first: boolean };

/** Everything one owner is told tonight about console access, in one mail. */
export interface ConsoleOwnerNotice {
  userName: string;
  recipient: Recipient;
  notices: ConsoleNotice[];
  /** Records to write once the mail is sent. */
  records: Record<string, string>;
}

export interface ConsoleNoticeInput {
  plan: ConsoleAccessPlan;
  removals: RemovalResult[];
  tags: Map<string, Record<string, string>>;
  recipients: RecipientSettings;
  now: Date;
}

/**
 * Decides which owner is told what tonight. Pure. Per user: a password warning when a notice stage is due
 * and unsent; a removal notice when tonight's run removed the password; an MFA reminder when one is due and
 * the password was not removed tonight. The records written after the mail make each warning go out once
 * and space MFA reminders out.
 */
export function planConsoleNotices(input: ConsoleNoticeInput): ConsoleOwnerNotice[] {
  const { plan, now } = input;
  const byUser = new Map<string, { notices: ConsoleNotice[]; records: Record<string, string> }>();
  const entry = (userName: string) => {
    let found = byUser.get(userName);
    if (found === undefined) {
      found = { notices: [], records: {} };
      byUser.set(userName, found);
    }
    return found;
  };
  for (const decision of plan.passwords) {
    const { warningStage: stage, removalDate, lastActivity, activitySource } = decision;
    if (
      decision.decision !== 'warn' ||
      stage === undefined ||
      !removalDate ||
      !lastActivity ||
      !activitySource
    )
      continue;
    const target = entry(decision.userName);
    target.notices.push({
      kind: 'warning',
      stage,
      daysLeft: daysLeft(removalDate, now),
      removalDate,
      lastActivity,
      activitySource,
      ...(decision.firstNotice ? { firstNotice: true as const } : {}),
    });
    target.records[PASSWORD_NOTICE_TAG] = passwordNoticeValue({ stage, sentAt: now, removalDate });
  }
  const removed = new Set<string>();
  for (const result of input.removals) {
    const { userName, lastActivity, activitySource } = result.decision;
    if (result.outcome !== 'done' || lastActivity === undefined || activitySource === undefined) continue;
    removed.add(userName);
    entry(userName).notices.push({
      kind: 'removed',
      at: result.actedAt ?? now,
      lastActivity,
      activitySource,
    });
  }
  for (const finding of plan.mfa) {
    if (!finding.reminderDue || removed.has(finding.userName)) continue;
    const target = entry(finding.userName);
    target.notices.push({
      kind: 'mfa-reminder',
      withoutMfaSince: finding.withoutMfaSince,
      first: finding.lastReminded === undefined,
    });
    target.records[NO_MFA_TAG] = noMfaValue({ since: finding.withoutMfaSince, remindedAt: now });
  }
  return [...byUser].map(([userName, { notices, records }]) => ({
    userName,
    recipient: ownerRecipient(userName, input.tags.get(userName) ?? {}, input.recipients),
    notices,
    records,
  }));
}

/**
 * What is left of an owner's notice once the records, read again just before sending, are taken into
 * account: another run may have told the owner since this run planned. `undefined` when nothing is left.
 */
export function unsentConsoleNotice(
  notice: ConsoleOwnerNotice,
  tags: Record<string, string>,
  now: Date,
): ConsoleOwnerNotice | undefined {
  const warned = readPasswordNotice(tags);
  const reminded = readNoMfa(tags)?.remindedAt;
  const keep = notice.notices.filter((item) => {
    if (item.kind === 'warning') {
      const sameDate = warned?.removalDate.getTime() === item.removalDate.getTime();
      return !(sameDate && warned !== undefined && warned.stage <= item.stage);
    }
    // Reminded tonight already: by a run that overlapped this one.
    if (item.kind === 'mfa-reminder') return reminded === undefined || nightsApart(reminded, now, 1);
    return true;
  });
  if (keep.length === 0) return undefined;
  const kinds = new Set(keep.map((item) => item.kind));
  const records = Object.fromEntries(
    Object.entries(notice.records).filter(([tag]) =>
      tag === PASSWORD_NOTICE_TAG ? kinds.has('warning') : kinds.has('mfa-reminder'),
    ),
  );
  return { ...notice, notices: keep, records };
}
