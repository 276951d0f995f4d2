import { describe, expect, it } from 'vitest';
import { faultLog, recordFigure } from '../helpers/fault-figures.ts';
import { faultSeeds, useFaultHarness } from '../helpers/fault-harness.ts';
import type { Fault, ProxiedRequest } from '../helpers/fault-proxy.ts';
import { ALL_HELD, lostSesAnswers } from '../helpers/run-invariants.ts';
import { type SeededRandom, seededRandom } from '../helpers/seeded-random.ts';

const harness = useFaultHarness();

/** One request in three gets a fault of any kind: throttling, 5xx, a dropped connection, a slow or empty answer. */
function anyFault(random: SeededRandom) {
  return (request: ProxiedRequest): Fault | undefined => {
    if (!random.chance(1 / 3)) return undefined;
    const faults: Fault[] = [
      { kind: 'throttle' },
      { kind: 'server-error', status: 500 },
      { kind: 'server-error', status: 503 },
      { kind: 'reset', when: 'before' },
      { kind: 'reset', when: 'after' },
      { kind: 'slow', delayMs: random.int(50, 1500) },
      { kind: 'empty-answer' },
      ...(request.service === 'iam' ? [{ kind: 'limit-exceeded' } as const] : []),
    ];
    return random.pick(faults);
  };
}

describe('one AWS call in three fails in any way: throttled, 500/503, reset, slow, empty answer', () => {
  it.each(faultSeeds())(
    'changes no key outside the plan, reports only what happened, and a rerun ends as the fault-free run (seed %i)',
    async (seed) => {
      const base = await harness.baseline();
      const account = await harness.freshAccount();
      const start = await harness.meaning(account);
      const run = await harness.run({ fault: anyFault(seededRandom(seed)) });
      const claims = await harness.claimsNotBorneOut(account, run);
      const afterFaults = await harness.meaning(account);
      // The next night (or Lambda's retry) finishes what the faults left undone.
      const rerun = await harness.run();
      const rerunClaims = await harness.claimsNotBorneOut(account, rerun);
      const verdict = await harness.verdict(account, [run, rerun], { claims: [...claims, ...rerunClaims] });
      const lost = [...lostSesAnswers(run.exchanges).values()].reduce((sum, count) => sum + count, 0);
      const failed = run.summary?.failures.length ?? 0;
      recordFigure(
        'mixed faults + rerun',
        seed,
        [run, rerun],
        JSON.stringify(verdict) === JSON.stringify(ALL_HELD),
        `faulted run: ${failed} failure(s) reported, finished by the rerun; SES answers lost after acceptance: ${lost}`,
      );

      expect(run.error).toBeUndefined();
      expect(rerun.error).toBeUndefined();
      expect(verdict, faultLog([run, rerun])).toEqual(ALL_HELD);
      // After the faulted run alone, each key is where it started or where the fault-free run put it.
      for (const [label, status] of Object.entries(afterFaults.keys)) {
        expect([start.keys[label], base.account.keys[label]], label).toContain(status);
      }
      expect(run.exchanges.filter((exchange) => exchange.fault !== undefined).length).toBeGreaterThan(5);
    },
  );
});
