// nights: what every nightly capability that acts on a backlog shares: a night's work within its limit, the
// rest laid over the nights ahead (the most overdue first, first notices spread a limit's worth per night,
// the night the backlog clears), the guard's one rule for a night that looks wrong rather than busy, the
// retired MAX_ACTIONS_PER_RUN, and the dependencies a nightly run is built from (report, audit, mail). It
// imports the kernel, and the credential report, audit and mail to wire a run.
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
export { type NightTitleFacts, nightTitle } from './night-title.ts';
export { type ActionOutcome, OUTCOME_WORDS } from './outcomes.ts';
export { retiredMaxActionsPerRun } from './retired-settings.ts';
export {
  type NightlyRunClients,
  type NightlyRunDependencies,
  type NightlyRunWiring,
  nightlyRunDependencies,
} from './run-dependencies.ts';
export { GUARD_SHARE, guardShareText, looksWrong } from './wrong-night.ts';
