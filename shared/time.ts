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
