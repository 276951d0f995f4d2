import { dueTonightJob, type NightJob, scheduleKind, warnedJob } from '../../nights/index.ts';
import type { KeyDecision, NightBudget, NightLimits } from '../types.ts';

/** What the per-night limits make of tonight's plan, key by key. */
export interface NightSchedule {
  /** First notices: the deactivation date to tell the owner, by access key id. */
  toldDates: Map<string, Date>;
  /** Deactivations and deletions due tonight beyond the limit: the night expected (absent: limit 0). */
  waiting: Map<string, { until?: Date }>;
  budget: NightBudget;
}

/**
 * Lays tonight's deactivations and deletions, and the keys coming due, over the nights ahead, at most the
 * per-night limit each night, the most overdue first (nights' `scheduleKind`, once per kind). Tonight acts
 * on night 0; what is due beyond it waits for the night the schedule gives it. A first notice is told the
 * night its key gets: at least `firstNoticeDays` out, later when earlier nights are full, so a backlog of
 * first notices falls due a limit's worth per night. Pure.
 */
export function scheduleNights(
  decisions: KeyDecision[],
  limits: NightLimits,
  now: Date,
  firstNoticeDays: number,
): NightSchedule {
  const deactivations = scheduleKind(
    decisions.flatMap((decision) => deactivationJob(decision, now, firstNoticeDays)),
    limits.deactivations,
    now,
  );
  const deletions = scheduleKind(
    decisions.flatMap((decision) =>
      decision.decision === 'delete' && decision.deletionDate !== undefined
        ? [dueTonightJob(decision.accessKeyId, decision.deletionDate)]
        : [],
    ),
    limits.deletions,
    now,
  );
  return {
    toldDates: deactivations.toldDates,
    waiting: new Map([...deactivations.waiting, ...deletions.waiting]),
    budget: { deactivate: deactivations.backlog, delete: deletions.backlog },
  };
}

/** Deactivations due tonight, keys warned with a date, and first notices, as jobs for the nights ahead. */
function deactivationJob(decision: KeyDecision, now: Date, firstNoticeDays: number): NightJob[] {
  const due = decision.deactivationDate;
  if (due === undefined) return [];
  if (decision.decision === 'deactivate') return [dueTonightJob(decision.accessKeyId, due)];
  if (decision.decision !== 'warn') return [];
  const warning = {
    due,
    firstNotice: decision.firstNotice === true,
    told: decision.toldDate !== undefined,
  };
  return [warnedJob(decision.accessKeyId, warning, now, firstNoticeDays)];
}
