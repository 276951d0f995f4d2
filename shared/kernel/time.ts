export const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `from` to `to`, rounded down; negative when `to` is earlier. */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/**
 * Days left from `now` until `deadline`, rounded up: 0 once the deadline has come (or passed, negative when
 * whole days have passed), 1 for any part of the last day. The one count a deadline's warnings use.
 */
export function daysUntil(deadline: Date, now: Date): number {
  return Math.ceil((deadline.getTime() - now.getTime()) / DAY_MS);
}

/** `YYYY-MM-DD` of the UTC day the instant falls on. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC at the start of the day the instant falls on. */
export function startOfUtcDay(date: Date): Date {
  return new Date(`${isoDay(date)}T00:00:00.000Z`);
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Reads an ISO 8601 date (`2026-12-24`, midnight UTC) or timestamp with a zone (`2026-12-24T03:00:00Z`).
 * Returns `undefined` for anything else, including days that do not exist (`2026-02-30`), which `Date`
 * would silently roll over into the next month.
 */
export function parseIsoInstant(text: string): Date | undefined {
  const match = ISO_INSTANT.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) return undefined;
  const instant = new Date(match[4] === undefined ? `${match[1]}-${match[2]}-${match[3]}T00:00:00Z` : text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/**
 * An instant as people write it in a mail or a reason: `2026-12-24 03:00 UTC` (seconds only when there are
 * any, never milliseconds), or `2026-12-24` for midnight UTC. With `endOfDay`, a midnight that ends a day (an
 * exemption given as a date runs through that day) reads `2026-12-31 (end of that day, UTC)`. Machine forms
 * (events, JSON, CSV, tags) keep `toISOString()`.
 */
export function readableDate(instant: Date, options: { endOfDay?: boolean } = {}): string {
  const time = instant.toISOString().slice(11, 19);
  if (time === '00:00:00') {
    return options.endOfDay ? `${isoDay(addDays(instant, -1))} (end of that day, UTC)` : isoDay(instant);
  }
  return `${isoDay(instant)} ${time.endsWith(':00') ? time.slice(0, 5) : time} UTC`;
}
