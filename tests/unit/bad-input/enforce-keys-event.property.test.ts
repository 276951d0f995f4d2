import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../shared/kernel/errors.ts';
import { parseDryRunEvent } from '../../../shared/kernel/invocation-event.ts';

const numRuns = Number(process.env.FAST_CHECK_RUNS ?? '200');

/** Parses, and says what came of it; any exception but InvalidEventError escapes and fails the property. */
function outcomeOf(event: unknown): { dryRun: boolean } | { refused: string } {
  try {
    return parseDryRunEvent(event, 'enforceKeys');
  } catch (error: unknown) {
    if (error instanceof InvalidEventError) return { refused: error.message };
    throw error;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

describe('parseDryRunEvent on any event at all (fast-check)', () => {
  it('reads dryRun from an object, defaults it to false, or refuses naming dryRun or the event', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true }), (event) => {
        const outcome = outcomeOf(event);
        if ('refused' in outcome) {
          expect(outcome.refused).toMatch(/^Invalid enforceKeys event: (dryRun|event): /);
          return;
        }
        const asked = isPlainObject(event) ? event.dryRun : undefined;
        expect(outcome).toEqual({ dryRun: asked === true });
      }),
      { numRuns },
    );
  });

  it('accepts only true, false or nothing as dryRun, whatever else the event holds', () => {
    fc.assert(
      fc.property(fc.object(), fc.anything(), (rest, dryRun) => {
        const outcome = outcomeOf({ ...rest, dryRun });
        if (dryRun === undefined || typeof dryRun === 'boolean') {
          expect(outcome).toEqual({ dryRun: dryRun === true });
        } else {
          expect(outcome).toEqual({ refused: 'Invalid enforceKeys event: dryRun: must be true or false' });
        }
      }),
      { numRuns },
    );
  });
});
