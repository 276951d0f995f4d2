/**
 * What became of an action planned for tonight, in every capability: `done`, `skipped` (the live re-check
 * found it not needed), `failed`, `dry-run`, `held-by-guard`, `waiting` (due, left for a later night by the
 * per-night limit), or `reported` (a warning, an exemption, a hold: nothing to change).
 */
export type ActionOutcome =
  | 'done'
  | 'skipped'
  | 'failed'
  | 'dry-run'
  | 'held-by-guard'
  | 'waiting'
  | 'reported';

// `skipped` and `held-by-guard` are worded apart from a hold: a credential held for review waits for a
// person; a change not needed was called off by the live re-check; the guard stops a whole night.
/** How an outcome reads in every digest and summary table, and the tone of its badge (the mail's tones). */
export const OUTCOME_WORDS: Record<
  ActionOutcome,
  { text: string; tone: 'ok' | 'warning' | 'danger' | 'info' | 'neutral' }
> = {
  done: { text: 'done', tone: 'ok' },
  skipped: { text: 'not needed (live check)', tone: 'warning' },
  failed: { text: 'failed', tone: 'danger' },
  'dry-run': { text: 'dry run', tone: 'info' },
  'held-by-guard': { text: 'stopped by guard', tone: 'danger' },
  waiting: { text: 'waiting', tone: 'warning' },
  reported: { text: 'reported', tone: 'neutral' },
};
