// nights: what every capability that acts on a backlog shares: a night's work within its limit, the rest
// laid over the nights ahead (the most overdue first, first notices spread a limit's worth per night, the
// night the backlog clears), the guard's one rule for a night that looks wrong rather than busy, and the
// retired MAX_ACTIONS_PER_RUN. It imports only the kernel.
export {
  type ActionBacklog,
  describeBacklog,
  dueTonightJob,
  firstNoticeDate,
  type KindSchedule,
  type NightJob,
  scheduleKind,
  warnedJob,
} from './night-schedule.ts';
export { retiredMaxActionsPerRun } from './retired-settings.ts';
export { GUARD_SHARE, guardShareText, looksWrong } from './wrong-night.ts';
