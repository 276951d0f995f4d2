import { DAY_MS } from '../kernel/index.ts';

/** Whole days left until `deadline`, rounded up; 0 once it has passed. */
export function daysLeft(deadline: Date, now: Date): number {
  return Math.max(0, Math.ceil((deadline.getTime() - now.getTime()) / DAY_MS));
}

/**
 * The most urgent notice day reached with `daysLeft` to go: the smallest of `noticeDays` at or above it.
 * A missed night does not skip a warning: the next run finds the more urgent stage due. `undefined` while
 * no notice day is reached yet.
 */
export function dueStage(daysLeftNow: number, noticeDays: readonly number[]): number | undefined {
  const reached = noticeDays.filter((days) => days >= daysLeftNow);
  return reached.length === 0 ? undefined : Math.min(...reached);
}

/**
 * The warning to send tonight for a deadline, given the stage last sent for that same deadline: the due
 * stage when it is more urgent than the last one told, else nothing (each stage goes out once).
 */
export function warningToSend(
  deadline: Date,
  now: Date,
  noticeDays: readonly number[],
  lastStageSent: number | undefined,
): number | undefined {
  const stage = dueStage(daysLeft(deadline, now), noticeDays);
  if (stage === undefined) return undefined;
  return lastStageSent !== undefined && lastStageSent <= stage ? undefined : stage;
}

// Runs start at about the same time each night but take a while: "a night later" means at least half a day
// later, so a run a few seconds earlier than last night's still counts, and a same-night rerun never does.
const HALF_A_DAY_MS = DAY_MS / 2;

/** Whether `later` falls at least `nights` nightly runs after `earlier` (a same-night rerun never does). */
export function nightsApart(earlier: Date, later: Date, nights: number): boolean {
  return later.getTime() - earlier.getTime() >= nights * DAY_MS - HALF_A_DAY_MS;
}
