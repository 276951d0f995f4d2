import type { CredentialReportRow } from '../../credential-report/index.ts';
import { addDays, DAY_MS, isoDay } from '../../kernel/index.ts';
import {
  daysLeft,
  describeExemption,
  dueStage,
  exemptionFor,
  nightsApart,
  warningToSend,
} from '../../notices/index.ts';
import { readPasswordNotice, readRemoveOn } from '../console-records.ts';
import type { ConsoleAccessSettings, PasswordDecision } from '../types.ts';
import { type PasswordActivity, passwordActivity } from './password-activity.ts';

/** What the owner has been told about this password's current cycle (records of another due date are void). */
interface OwnerTold {
  /** The last warning sent, its stage and when. */
  warning: { stage: number; sentAt: Date } | undefined;
  /** The removal date told on first notice. */
  toldDate: Date | undefined;
}

type Judgement = Pick<
  PasswordDecision,
  'decision' | 'reason' | 'warningStage' | 'removalDate' | 'toldDate' | 'firstNotice'
>;

/**
 * Judges one user's console password. Pure. A password unused for `passwordUnusedDays` (counted from the
 * last sign-in, or from when it was set if never used since) is due; within the notice window the owner is
 * warned (14, 7, 1 days before; a missed night sends the most urgent warning due). Its owner is always told
 * first: a password due, or fewer than `passwordFirstNoticeDays` from it, whose owner was never warned gets a
 * first notice instead of a removal (its date is set by the night schedule, at least that many days out,
 * and never moves earlier); a date told on first notice is kept. A warned password is removed once due, and
 * never on the night its warning went out. An exempt user's password is kept (`exempt`); an unreadable
 * exempt tag holds it (`skip`).
 */
export function planPassword(
  row: CredentialReportRow,
  tags: Record<string, string>,
  settings: ConsoleAccessSettings,
  now: Date,
): PasswordDecision {
  const userName = row.user;
  if (settings.passwordUnusedDays === 0) {
    return { userName, decision: 'none', reason: 'the unused-password rule is off (PASSWORD_UNUSED_DAYS=0)' };
  }
  const activity = passwordActivity(row);
  if (activity === undefined) {
    return {
      userName,
      decision: 'skip',
      reason: 'the credential report gives no date to count the password’s use from; held for review',
    };
  }
  const dueDate = addDays(activity.lastActivity, settings.passwordUnusedDays);
  const facts = {
    userName,
    ...(activity.lastUsed ? { lastUsed: activity.lastUsed } : {}),
    lastActivity: activity.lastActivity,
    activitySource: activity.source,
    dueDate,
    removalDate: dueDate,
  };
  const unused = unusedText(activity, settings.passwordUnusedDays);
  const planned = judge(dueDate, ownerTold(tags, dueDate), settings, now, unused);
  if (planned === undefined) return { ...facts, decision: 'none', reason: `${unused}: nothing due yet` };

  const exemption = exemptionFor(tags, settings.exemptTag, now);
  if (exemption.kind === 'indefinite' || exemption.kind === 'until') {
    return {
      ...facts,
      decision: 'exempt',
      reason: `${describeExemption(exemption)}; otherwise would ${planned.decision}: ${planned.reason}`,
    };
  }
  if (exemption.kind === 'invalid') {
    return {
      ...facts,
      decision: 'skip',
      reason: `${describeExemption(exemption)}: held until the tag is fixed; otherwise would ${planned.decision}`,
    };
  }
  return { ...facts, ...planned };
}

/**
 * The records that belong to the cycle ending on `dueDate`: a sign-in since moved the date and voids them.
 * A told date is never earlier than the due date it was told for (the schedule makes it so); one that is
 * was not written by this service and counts as none.
 */
function ownerTold(tags: Record<string, string>, dueDate: Date): OwnerTold {
  const removeOn = readRemoveOn(tags);
  const toldFor =
    removeOn !== undefined &&
    removeOn.dueDate.getTime() === dueDate.getTime() &&
    removeOn.toldDate.getTime() >= dueDate.getTime();
  const toldDate = toldFor ? removeOn.toldDate : undefined;
  const notice = readPasswordNotice(tags);
  const about = notice?.removalDate.getTime();
  const current = about !== undefined && (about === dueDate.getTime() || about === toldDate?.getTime());
  return { warning: current ? notice : undefined, toldDate };
}

function judge(
  dueDate: Date,
  told: OwnerTold,
  settings: ConsoleAccessSettings,
  now: Date,
  unused: string,
): Judgement | undefined {
  const notices = settings.passwordWarningNoticeDays;
  // A date told on first notice: never removed before it.
  if (told.toldDate !== undefined) {
    const toldDate = told.toldDate;
    const onNotice = `as its owner was told on first notice; ${unused}, due since ${isoDay(dueDate)}`;
    if (now.getTime() > toldDate.getTime()) {
      return {
        decision: 'remove',
        removalDate: toldDate,
        toldDate,
        reason: `removal on ${isoDay(toldDate)}, ${onNotice}`,
      };
    }
    const stage = warningToSend(toldDate, now, notices, told.warning?.stage);
    return {
      decision: 'warn',
      removalDate: toldDate,
      toldDate,
      reason: `removal on ${isoDay(toldDate)} (${inDays(toldDate, now)}), ${onNotice}`,
      ...(stage === undefined ? {} : { warningStage: stage }),
    };
  }
  const neverTold = told.warning === undefined && told.toldDate === undefined;
  if (neverTold && dueDate.getTime() - now.getTime() < settings.passwordFirstNoticeDays * DAY_MS) {
    const state = now.getTime() > dueDate.getTime() ? 'overdue since' : 'due on';
    return {
      decision: 'warn',
      firstNotice: true,
      reason: `${unused}: ${state} ${isoDay(dueDate)} and its owner never warned`,
    };
  }
  if (dueDate.getTime() > now.getTime() && dueStage(daysLeft(dueDate, now), notices) === undefined) {
    return undefined;
  }
  const stage = warningToSend(dueDate, now, notices, told.warning?.stage);
  const withStage = stage === undefined ? {} : { warningStage: stage };
  if (dueDate.getTime() > now.getTime()) {
    return {
      decision: 'warn',
      reason: `${unused}: removal on ${isoDay(dueDate)} (${inDays(dueDate, now)})`,
      ...withStage,
    };
  }
  if (told.warning !== undefined && nightsApart(told.warning.sentAt, now, 1)) {
    return {
      decision: 'remove',
      reason: `${unused}: due since ${isoDay(dueDate)}; the owner was warned on ${isoDay(told.warning.sentAt)}`,
    };
  }
  return {
    decision: 'warn',
    reason: `${unused}: due since ${isoDay(dueDate)}; removed only once its owner has been warned, on an earlier night`,
    ...withStage,
  };
}

/** `in 1 day`, `in 7 days`: the whole days left, as a warning counts them. */
export function inDays(date: Date, now: Date): string {
  const left = daysLeft(date, now);
  return `in ${left} day${left === 1 ? '' : 's'}`;
}

function unusedText(activity: PasswordActivity, limit: number): string {
  const since = isoDay(activity.lastActivity);
  switch (activity.source) {
    case 'last sign-in':
      return `console password last used ${since}, limit ${limit} days unused`;
    case 'password set, never used':
      return `console password set ${since} and not used since, limit ${limit} days`;
    case 'user created, never used':
      return `console password never used, user created ${since}, limit ${limit} days`;
  }
}
