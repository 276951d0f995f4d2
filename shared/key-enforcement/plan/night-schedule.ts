import { addDays, DAY_MS, isoDay, startOfUtcDay } from '../../kernel/index.ts';
import type { ActionBacklog, KeyDecision, NightBudget, NightLimits } from '../types.ts';

/** What the per-night limits make of tonight's plan, key by key. */
export interface NightSchedule {
  /** First notices: the deactivation date to tell the owner, by access key id. */
  toldDates: Map<string, Date>;
  /** Deactivations and deletions due tonight beyond the limit: the night expected (absent: limit 0). */
  waiting: Map<string, { until?: Date }>;
  budget: NightBudget;
}

interface Job {
  accessKeyId: string;
  /** The first night it may be acted on: 0 is tonight, 1 tomorrow night, ... */
  earliest: number;
  /** When it fell (or falls) due: the most overdue goes first. */
  due: number;
  firstNotice: boolean;
  /** Part of the backlog even when not due tonight: its owner was told a date on first notice. */
  told: boolean;
}

/**
 * Lays tonight's deactivations and deletions, and the keys coming due, over the nights ahead, at most the
 * per-night limit each night, the most overdue first. Tonight acts on night 0; what is due beyond it waits
 * for the night the schedule gives it. A first notice is told the night its key gets: at least
 * `firstNoticeDays` out, later when earlier nights are full, so a backlog of first notices falls due a
 * limit's worth per night. Pure: nights are 24 hours apart from `now`, as the nightly schedule runs.
 */
export function scheduleNights(
  decisions: KeyDecision[],
  limits: NightLimits,
  now: Date,
  firstNoticeDays: number,
): NightSchedule {
  const deactivations = decisions.flatMap((decision) => deactivationJob(decision, now, firstNoticeDays));
  const deletions = decisions.flatMap((decision) =>
    decision.decision === 'delete' && decision.deletionDate !== undefined
      ? [
          {
            accessKeyId: decision.accessKeyId,
            earliest: 0,
            due: decision.deletionDate.getTime(),
            firstNotice: false,
            told: false,
          },
        ]
      : [],
  );
  const deactivationNights = assignNights(deactivations, limits.deactivations);
  const deletionNights = assignNights(deletions, limits.deletions);

  const toldDates = new Map<string, Date>();
  for (const job of deactivations.filter((candidate) => candidate.firstNotice)) {
    const night = deactivationNights.get(job.accessKeyId) ?? job.earliest;
    toldDates.set(job.accessKeyId, startOfUtcDay(addDays(now, night)));
  }
  const waiting = new Map<string, { until?: Date }>();
  for (const [jobs, nights] of [
    [deactivations, deactivationNights],
    [deletions, deletionNights],
  ] as const) {
    for (const job of jobs.filter((candidate) => candidate.earliest === 0)) {
      const night = nights.get(job.accessKeyId);
      if (night === 0) continue;
      waiting.set(job.accessKeyId, night === undefined ? {} : { until: addDays(now, night) });
    }
  }
  return {
    toldDates,
    waiting,
    budget: {
      deactivate: backlogOf(deactivations, deactivationNights, limits.deactivations, now),
      delete: backlogOf(deletions, deletionNights, limits.deletions, now),
    },
  };
}

/** The earliest date a first notice may tell: the start of the UTC day `firstNoticeDays` from now. */
export function firstNoticeDate(now: Date, firstNoticeDays: number): Date {
  return startOfUtcDay(addDays(now, firstNoticeDays));
}

/** Deactivations due tonight, keys warned with a date, and first notices, as jobs for the nights ahead. */
function deactivationJob(decision: KeyDecision, now: Date, firstNoticeDays: number): Job[] {
  const due = decision.deactivationDate;
  if (due === undefined) return [];
  if (decision.decision === 'deactivate') {
    return [
      { accessKeyId: decision.accessKeyId, earliest: 0, due: due.getTime(), firstNotice: false, told: false },
    ];
  }
  if (decision.decision !== 'warn') return [];
  const firstNotice = decision.firstNotice === true;
  // A key is deactivated by the first run after its date: nights run at `now` + whole days.
  const actsFrom = firstNotice ? firstNoticeDate(now, firstNoticeDays) : due;
  return [
    {
      accessKeyId: decision.accessKeyId,
      earliest: Math.max(0, Math.floor((actsFrom.getTime() - now.getTime()) / DAY_MS) + 1),
      due: due.getTime(),
      firstNotice,
      told: firstNotice || decision.toldDate !== undefined,
    },
  ];
}

/**
 * Greedy, which is exact for jobs of one night each: by earliest night, then the most overdue first, each
 * job takes the first night from its earliest that has room. On the same night, dates already told or
 * warned of go before tonight's first notices, which fit around them. A limit of 0 gives no job a night.
 */
function assignNights(jobs: Job[], limit: number): Map<string, number> {
  const nights = new Map<string, number>();
  if (limit === 0) return nights;
  const ordered = [...jobs].sort(
    (a, b) =>
      a.earliest - b.earliest ||
      Number(a.firstNotice) - Number(b.firstNotice) ||
      a.due - b.due ||
      a.accessKeyId.localeCompare(b.accessKeyId),
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
    nights.set(job.accessKeyId, night);
    used += 1;
  }
  return nights;
}

function backlogOf(jobs: Job[], nights: Map<string, number>, limit: number, now: Date): ActionBacklog {
  const dueTonight = jobs.filter((job) => job.earliest === 0);
  const tonight = dueTonight.filter((job) => nights.get(job.accessKeyId) === 0).length;
  const remaining = jobs.filter(
    (job) => (job.earliest === 0 && nights.get(job.accessKeyId) !== 0) || (job.earliest > 0 && job.told),
  );
  const lastNight = Math.max(0, ...remaining.map((job) => nights.get(job.accessKeyId) ?? 0));
  return {
    limit,
    due: dueTonight.length,
    tonight,
    waiting: dueTonight.length - tonight,
    remaining: remaining.length,
    ...(remaining.length > 0 && limit > 0 ? { clearsOn: isoDay(addDays(now, lastNight)) } : {}),
  };
}
