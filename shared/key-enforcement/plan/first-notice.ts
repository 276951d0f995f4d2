import { DAY_MS, isoDay } from '../../kernel/index.ts';
import { deactivateOnTag, readNoticeRecords, readToldDates } from '../key-records.ts';
import type { KeyDecision, KeyPolicySettings, KeyRecordChange } from '../types.ts';
import type { NightSchedule } from './night-schedule.ts';

/** What the owner of an active key has been told, from the notice records. */
export interface OwnerTold {
  /** A warning about this key has been sent. */
  warned: boolean;
  /** The deactivation date told on first notice. */
  toldDate: Date | undefined;
}

/** What each key's owner has been told, by key id, from the user's tags. */
export function ownersTold(tags: Record<string, string>): (accessKeyId: string) => OwnerTold {
  const notices = readNoticeRecords(tags);
  const toldDates = readToldDates(tags);
  // A deactivation notice does not count: the key is active again, and its next deactivation is news.
  return (accessKeyId) => ({
    warned: notices.get(accessKeyId)?.kind === 'warning',
    toldDate: toldDates.get(accessKeyId),
  });
}

/**
 * The decision for an active key due on `deadline` when what its owner was told decides it: a date told on
 * first notice that is later than the deadline (never deactivated before it), or a first notice for a key due
 * (or fewer than `firstNoticeDays` from it) whose owner was never warned. `undefined`: the ordinary rules.
 * A first notice's date is set by `scheduleNights`; until then the decision carries the key's own deadline.
 */
export function judgeByWhatOwnerWasTold(
  decision: Omit<KeyDecision, 'decision' | 'reason'> & { deactivationDate: Date },
  why: string,
  told: OwnerTold,
  settings: KeyPolicySettings,
  now: Date,
): KeyDecision | undefined {
  const deadline = decision.deactivationDate;
  if (told.toldDate !== undefined && told.toldDate.getTime() > deadline.getTime()) {
    const toldDate = told.toldDate;
    const onNotice = `as its owner was told on first notice: ${why}`;
    return now.getTime() > toldDate.getTime()
      ? {
          ...decision,
          deactivationDate: toldDate,
          toldDate,
          decision: 'deactivate',
          reason: `active key due on ${isoDay(toldDate)}, ${onNotice}: deactivate`,
        }
      : {
          ...decision,
          deactivationDate: toldDate,
          toldDate,
          decision: 'warn',
          reason: `will be deactivated on ${isoDay(toldDate)} (${daysFrom(now, toldDate)}), ${onNotice}`,
        };
  }
  const neverTold = !told.warned && told.toldDate === undefined;
  if (
    settings.firstNoticeDays > 0 &&
    neverTold &&
    deadline.getTime() - now.getTime() < settings.firstNoticeDays * DAY_MS
  ) {
    const state = now.getTime() > deadline.getTime() ? 'overdue since' : 'due on';
    return {
      ...decision,
      decision: 'warn',
      firstNotice: true,
      reason: `${state} ${isoDay(deadline)} and its owner never warned: ${why}`,
    };
  }
  return undefined;
}

/**
 * The decisions with what the night schedule made of them: first notices get the date they tell (and a
 * record of it in `recordChanges`), due keys beyond tonight's limit the night they wait for.
 */
export function applySchedule(
  decisions: KeyDecision[],
  schedule: NightSchedule,
  recordChanges: KeyRecordChange[],
  now: Date,
): KeyDecision[] {
  return decisions.map((decision): KeyDecision => {
    const toldDate = schedule.toldDates.get(decision.accessKeyId);
    if (decision.decision === 'warn' && decision.firstNotice === true && toldDate !== undefined) {
      recordToldDate(recordChanges, decision.userName, decision.accessKeyId, toldDate);
      return {
        ...decision,
        deactivationDate: toldDate,
        toldDate,
        reason: `first notice: will be deactivated on ${isoDay(toldDate)} (${daysFrom(now, toldDate)}), not earlier; ${decision.reason}`,
      };
    }
    const waits = schedule.waiting.get(decision.accessKeyId);
    return waits === undefined ? decision : { ...decision, waits };
  });
}

/** Adds the told deactivation date of a first notice to the user's record change. */
function recordToldDate(changes: KeyRecordChange[], userName: string, accessKeyId: string, date: Date): void {
  const reason = 'record the deactivation date told on first notice';
  const existing = changes.find((change) => change.userName === userName);
  if (existing === undefined) {
    changes.push({
      userName,
      set: { [deactivateOnTag(accessKeyId)]: date.toISOString() },
      remove: [],
      startGracePeriod: [],
      reason,
    });
    return;
  }
  existing.set[deactivateOnTag(accessKeyId)] = date.toISOString();
  if (!existing.reason.includes(reason)) existing.reason = `${existing.reason}; ${reason}`;
}

/** `today`, `in 1 day`, `in 7 days`. */
export function daysFrom(now: Date, date: Date): string {
  const days = Math.ceil((date.getTime() - now.getTime()) / DAY_MS);
  return days <= 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`;
}
