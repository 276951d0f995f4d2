export const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `from` to `to`, rounded down; negative when `to` is earlier. */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
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
