import { isoDay } from '../../kernel/index.ts';
import {
  type ActionBacklog,
  dueTonightJob,
  type NightJob,
  scheduleKind,
  warnedJob,
} from '../../nights/index.ts';
import { daysLeft, dueStage } from '../../notices/index.ts';
import { PASSWORD_REMOVE_ON_TAG, removeOnValue } from '../console-records.ts';
import type { ConsoleAccessSettings, ConsoleRecordChange, PasswordDecision } from '../types.ts';
import { inDays } from './plan-passwords.ts';

export interface PasswordSchedule {
  passwords: PasswordDecision[];
  budget: ActionBacklog;
  /** The removal dates told on first notice tonight, to record before any mail goes out. */
  records: ConsoleRecordChange[];
}

/**
 * Lays tonight's removals, and the passwords coming due, over the nights ahead within
 * PASSWORD_REMOVALS_PER_NIGHT, the most overdue first (nights' `scheduleKind`): a removal beyond tonight's
 * share waits for the night it is given; a first notice tells the night its password gets, at least
 * `passwordFirstNoticeDays` out and never before its due date, so a backlog of first notices falls due a
 * limit's worth per night. Pure.
 */
export function schedulePasswords(
  decisions: PasswordDecision[],
  settings: ConsoleAccessSettings,
  now: Date,
): PasswordSchedule {
  const schedule = scheduleKind(
    decisions.flatMap((decision) => removalJob(decision, settings, now)),
    settings.passwordRemovalsPerNight,
    now,
  );
  const records: ConsoleRecordChange[] = [];
  const passwords = decisions.map((decision): PasswordDecision => {
    const scheduled = schedule.toldDates.get(decision.userName);
    if (decision.firstNotice === true && scheduled !== undefined && decision.dueDate !== undefined) {
      const { dueDate } = decision;
      const toldDate = scheduled.getTime() < dueDate.getTime() ? dueDate : scheduled;
      records.push({
        userName: decision.userName,
        set: { [PASSWORD_REMOVE_ON_TAG]: removeOnValue({ toldDate, dueDate }) },
        reason: 'record the removal date told on first notice',
      });
      const left = daysLeft(toldDate, now);
      return {
        ...decision,
        removalDate: toldDate,
        toldDate,
        // Beyond every notice day, a first notice is sent all the same, as a stage of its own.
        warningStage: dueStage(left, settings.passwordWarningNoticeDays) ?? left,
        reason: `first notice: will be removed on ${isoDay(toldDate)} (${inDays(toldDate, now)}), not earlier; ${decision.reason}`,
      };
    }
    const waits = schedule.waiting.get(decision.userName);
    return waits === undefined ? decision : { ...decision, waits };
  });
  return { passwords, budget: schedule.backlog, records };
}

/** A removal due tonight, a password warned of its date, or a first notice, as a job for the nights ahead. */
function removalJob(decision: PasswordDecision, settings: ConsoleAccessSettings, now: Date): NightJob[] {
  const due = decision.removalDate;
  if (due === undefined) return [];
  if (decision.decision === 'remove') return [dueTonightJob(decision.userName, due)];
  if (decision.decision !== 'warn') return [];
  const warning = {
    due,
    firstNotice: decision.firstNotice === true,
    told: decision.toldDate !== undefined,
  };
  return [warnedJob(decision.userName, warning, now, settings.passwordFirstNoticeDays)];
}
