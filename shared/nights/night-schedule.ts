import { addDays, DAY_MS, isoDay, startOfUtcDay } from '../kernel/index.ts';

/** One kind of action tonight against its per-night limit, and when its backlog is expected to clear. */
export interface ActionBacklog {
  limit: number;
  /** Due tonight, before the limit. */
  due: number;
  /** Within tonight's limit. */
  tonight: number;
  /** Due, and left by the limit for later nights. */
  waiting: number;
  /**
   * The backlog after tonight: the waiting ones, and those whose owners were told on first notice a date
   * still ahead (they are due, or nearly, and wait for the date their owner was told).
   */
  remaining: number;
  /** The night the last of the backlog is expected to be acted on (`YYYY-MM-DD`); absent with none left, or a limit of 0. */
  clearsOn?: string;
}

/** One credential's action (a deactivation, a deletion, a removal) laid over the nights ahead. */
export interface NightJob {
  /** What it acts on, unique within its kind: an access key id, a user name. */
  id: string;
  /** The first night it may be acted on: 0 is tonight, 1 tomorrow night, ... */
  earliest: number;
  /** When it fell (or falls) due: the most overdue goes first. */
  due: number;
  firstNotice: boolean;
  /** Part of the backlog even when not due tonight: its owner was told a date on first notice. */
  told: boolean;
}

/** What the per-night limit makes of one kind of action tonight. */
export interface KindSchedule {
  /** First notices: the date to tell the owner, by id. */
  toldDates: Map<string, Date>;
  /** Due tonight beyond the limit: the night expected (absent: limit 0). */
  waiting: Map<string, { until?: Date }>;
  backlog: ActionBacklog;
}

/** The earliest date a first notice may tell: the start of the UTC day `firstNoticeDays` from now. */
export function firstNoticeDate(now: Date, firstNoticeDays: number): Date {
  return startOfUtcDay(addDays(now, firstNoticeDays));
}

/** An action due tonight (a deactivation, a deletion, a removal), as a job for the nights ahead. */
export function dueTonightJob(id: string, due: Date): NightJob {
  return { id, earliest: 0, due: due.getTime(), firstNotice: false, told: false };
}

/**
 * A credential its owner is warned about, as a job for the nights ahead: a first notice may be acted on no
 * sooner than `firstNoticeDays` out, any other warning from its date (`due`: its deadline, or the date told
 * on an earlier first notice, `told`, which makes it part of the backlog).
 */
export function warnedJob(
  id: string,
  warning: { due: Date; firstNotice: boolean; told: boolean },
  now: Date,
  firstNoticeDays: number,
): NightJob {
  // A credential is acted on by the first run after its date: nights run at `now` + whole days.
  const actsFrom = warning.firstNotice ? firstNoticeDate(now, firstNoticeDays) : warning.due;
  return {
    id,
    earliest: Math.max(0, Math.floor((actsFrom.getTime() - now.getTime()) / DAY_MS) + 1),
    due: warning.due.getTime(),
    firstNotice: warning.firstNotice,
    told: warning.firstNotice || warning.told,
  };
}

/**
 * Lays one kind of action over the nights ahead, at most `limit` a night, the most overdue first. Tonight
 * acts on night 0; what is due beyond it waits for the night the schedule gives it. A first notice is told
 * the night its job gets: at least its earliest night, later when earlier nights are full, so a backlog of
 * first notices falls due a limit's worth per night. Pure: nights are 24 hours apart from `now`, as the
 * nightly schedule runs.
 */
export function scheduleKind(jobs: NightJob[], limit: number, now: Date): KindSchedule {
  const nights = assignNights(jobs, limit);
  const toldDates = new Map<string, Date>();
  for (const job of jobs.filter((candidate) => candidate.firstNotice)) {
    toldDates.set(job.id, startOfUtcDay(addDays(now, nights.get(job.id) ?? job.earliest)));
  }
  const waiting = new Map<string, { until?: Date }>();
  for (const job of jobs.filter((candidate) => candidate.earliest === 0)) {
    const night = nights.get(job.id);
    if (night === 0) continue;
    waiting.set(job.id, night === undefined ? {} : { until: addDays(now, night) });
  }
  return { toldDates, waiting, backlog: backlogOf(jobs, nights, limit, now) };
}

/**
 * Greedy, which is exact for jobs of one night each: by earliest night, then the most overdue first, each
 * job takes the first night from its earliest that has room. On the same night, dates already told or
 * warned of go before tonight's first notices, which fit around them. A limit of 0 gives no job a night.
 */
function assignNights(jobs: NightJob[], limit: number): Map<string, number> {
  const nights = new Map<string, number>();
  if (limit === 0) return nights;
  const ordered = [...jobs].sort(
    (a, b) =>
      a.earliest - b.earliest ||
      Number(a.firstNotice) - Number(b.firstNotice) ||
      a.due - b.due ||
      a.id.localeCompare(b.id),
  );
  let night = 0;
  let used = 0;
  for (const job of ordered) {
    if (job.earliest > night) {
      night = job.earliest;
      used = 0;
    }
    if (used === limit) {
      night += 1;
      used = 0;
    }
    nights.set(job.id, night);
    used += 1;
  }
  return nights;
}

function backlogOf(jobs: NightJob[], nights: Map<string, number>, limit: number, now: Date): ActionBacklog {
  const dueTonight = jobs.filter((job) => job.earliest === 0);
  const tonight = dueTonight.filter((job) => nights.get(job.id) === 0).length;
  const remaining = jobs.filter(
    (job) => (job.earliest === 0 && nights.get(job.id) !== 0) || (job.earliest > 0 && job.told),
  );
  const lastNight = Math.max(0, ...remaining.map((job) => nights.get(job.id) ?? 0));
  return {
    limit,
    due: dueTonight.length,
    tonight,
    waiting: dueTonight.length - tonight,
    remaining: remaining.length,
    ...(remaining.length > 0 && limit > 0 ? { clearsOn: isoDay(addDays(now, lastNight)) } : {}),
  };
}

/**
 * One line for one kind of action: how many were due tonight, how many the per-night limit took, how many
 * remain for later nights and when the backlog is expected to clear. `setting` names the limit. Pure.
 */
export function describeBacklog(title: string, setting: string, backlog: ActionBacklog): string {
  const { limit, due, tonight, waiting, remaining, clearsOn } = backlog;
  const head = `${title}: ${due} due tonight, ${tonight} within tonight's limit of ${limit} (${setting})`;
  if (remaining === 0) return `${head}; none remain.`;
  const told = remaining - waiting;
  const parts = [
    waiting > 0 ? `${waiting} due and waiting, the most overdue first` : '',
    told > 0 ? `${told} waiting for the date told on first notice` : '',
  ].filter(Boolean);
  const forecast =
    clearsOn === undefined
      ? `the backlog does not clear while ${setting} is 0`
      : `at ${limit} a night the backlog clears on the night of ${clearsOn}, unless more fall due`;
  return `${head}; ${remaining} remain (${parts.join(', ')}): ${forecast}.`;
}
