import { addDays, parseIsoInstant, readableDate } from '../kernel/index.ts';

export type Exemption =
  | { kind: 'none' }
  | { kind: 'indefinite'; tag: string }
  | { kind: 'until'; tag: string; until: Date }
  | { kind: 'expired'; tag: string; until: Date }
  | { kind: 'invalid'; tag: string; value: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a user's exemption from the exempt tag: `true` exempts indefinitely; an ISO date exempts through
 * the end of that UTC day; an ISO timestamp exempts until that instant; `false` or no tag, no exemption.
 * Any other value is `invalid`: a planner holds what it would do to the user rather than guess what was meant.
 */
export function exemptionFor(tags: Record<string, string>, tag: string, now: Date): Exemption {
  const raw = tags[tag];
  if (raw === undefined) return { kind: 'none' };
  const value = raw.trim();
  if (value.toLowerCase() === 'true') return { kind: 'indefinite', tag };
  if (value.toLowerCase() === 'false') return { kind: 'none' };
  const until = parseUntil(value);
  if (until === undefined) return { kind: 'invalid', tag, value: raw };
  return until.getTime() > now.getTime() ? { kind: 'until', tag, until } : { kind: 'expired', tag, until };
}

function parseUntil(value: string): Date | undefined {
  const instant = parseIsoInstant(value);
  // A date alone exempts through the end of that UTC day.
  return instant !== undefined && DATE_ONLY.test(value) ? addDays(instant, 1) : instant;
}

/** How the exemption reads in a reason, e.g. `exempt until 2026-12-31 (end of that day, UTC), tag key-hygiene:exempt`. */
export function describeExemption(exemption: Exemption): string {
  switch (exemption.kind) {
    case 'none':
      return 'not exempt';
    case 'indefinite':
      return `exempt indefinitely (tag ${exemption.tag}=true)`;
    case 'until':
      return `exempt until ${readableDate(exemption.until, { endOfDay: true })}, tag ${exemption.tag}`;
    case 'expired':
      return `exemption ended ${readableDate(exemption.until, { endOfDay: true })}, tag ${exemption.tag}`;
    case 'invalid':
      return `exempt tag ${exemption.tag} has the value ${JSON.stringify(exemption.value)}, which is neither 'true' nor an ISO date`;
  }
}
