import { z } from 'zod';
import { unsetWhenEmpty } from '../kernel/index.ts';

/**
 * The schema of MAX_ACTIONS_PER_RUN, retired: a limit that stopped the whole night when more was due.
 * Refused rather than ignored, so a deployment that still sets it learns what replaced it (`replacements`,
 * the function's per-night limits) instead of running without the limit it thinks it has.
 */
export function retiredMaxActionsPerRun(replacements: string) {
  return z.preprocess(
    unsetWhenEmpty,
    z
      .undefined({
        message: `is retired: set ${replacements} instead (a backlog is worked off a limit per night; the guard no longer counts actions)`,
      })
      .optional(),
  );
}
