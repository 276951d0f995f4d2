import type { CredentialReportRow } from '../../credential-report/index.ts';
import { addDays, isoDay } from '../../kernel/index.ts';
import {
  daysLeft,
  describeExemption,
  dueStage,
  exemptionFor,
  nightsApart,
  warningToSend,
} from '../../notices/index.ts';
import { readPasswordNotice } from '../console-records.ts';
import type { ConsoleAccessSettings, PasswordDecision } from '../types.ts';
import { type PasswordActivity, passwordActivity } from './password-activity.ts';

/**
 * Judges one user's console password. Pure. A password unused for `passwordUnusedDays` (counted from the
 * last sign-in, or from when it was set if never used since) is due for removal; within the notice window
 * the owner is warned (14, 7, 1 days before; a missed night sends the most urgent warning due). A due
 * password is removed only when a warning for that same removal date was sent on an earlier night: a
 * password first found overdue is warned tonight and removed at the earliest the next night. An exempt
 * user's password is kept (`exempt`); an unreadable exempt tag holds it (`skip`).
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
  const removalDate = addDays(activity.lastActivity, settings.passwordUnusedDays);
  const facts = {
    userName,
    ...(activity.lastUsed ? { lastUsed: activity.lastUsed } : {}),
    lastActivity: activity.lastActivity,
    activitySource: activity.source,
    removalDate,
  };
  const unused = unusedText(activity, settings.passwordUnusedDays);
  const planned = judge(removalDate, tags, settings, now, unused);
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

function judge(
  removalDate: Date,
  tags: Record<string, string>,
  settings: ConsoleAccessSettings,
  now: Date,
  unused: string,
): Pick<PasswordDecision, 'decision' | 'reason' | 'warningStage'> | undefined {
  const notices = settings.passwordWarningNoticeDays;
  const left = daysLeft(removalDate, now);
  if (removalDate.getTime() > now.getTime() && dueStage(left, notices) === undefined) return undefined;

  const record = readPasswordNotice(tags);
  // A record for another removal date is void: the user signed in, or the password was set again, since.
  const told = record?.removalDate.getTime() === removalDate.getTime() ? record : undefined;
  const stage = warningToSend(removalDate, now, notices, told?.stage);
  const withStage = stage === undefined ? {} : { warningStage: stage };
  if (removalDate.getTime() > now.getTime()) {
    return {
      decision: 'warn',
      reason: `${unused}: removal on ${isoDay(removalDate)} (in ${left} day${left === 1 ? '' : 's'})`,
      ...withStage,
    };
  }
  if (told !== undefined && nightsApart(told.sentAt, now, 1)) {
    return {
      decision: 'remove',
      reason: `${unused}: due since ${isoDay(removalDate)}; the owner was warned on ${isoDay(told.sentAt)}`,
    };
  }
  return {
    decision: 'warn',
    reason: `${unused}: due since ${isoDay(removalDate)}; removed only once its owner has been warned, on an earlier night`,
    ...withStage,
  };
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
