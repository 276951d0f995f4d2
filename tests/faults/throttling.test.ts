import { describe, expect, it } from 'vitest';
import { recordFigure } from '../helpers/fault-figures.ts';
import { faultSeeds, useFaultHarness } from '../helpers/fault-harness.ts';
import type { Fault, ProxiedRequest } from '../helpers/fault-proxy.ts';
import { ALL_HELD } from '../helpers/run-invariants.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

const harness = useFaultHarness();

describe('one third of all AWS calls throttled', () => {
  it.each(faultSeeds({ costly: true }))(
    'ends as the fault-free run does, tells each owner once and reports only what happened (seed %i)',
    async (seed) => {
      await harness.baseline();
      const account = await harness.freshAccount();
      const random = seededRandom(seed);
      // Each service's own throttling answer; IAM also says LimitExceeded when asked too often.
      const throttle = (request: ProxiedRequest): Fault | undefined => {
        if (!random.chance(1 / 3)) return undefined;
        return request.service === 'iam' && random.chance(0.25)
          ? { kind: 'limit-exceeded' }
          : { kind: 'throttle' };
      };
      const run = await harness.run({ fault: throttle });
      const claims = await harness.claimsNotBorneOut(account, run);
      const verdict = await harness.verdict(account, [run], { allNotices: true, claims });
      const faulted = run.exchanges.filter((exchange) => exchange.fault !== undefined).length;
      recordFigure('throttling', seed, [run], JSON.stringify(verdict) === JSON.stringify(ALL_HELD));

      expect(run.error).toBeUndefined();
      expect(verdict).toEqual(ALL_HELD);
      expect(run.summary?.failures).toEqual([]);
      // The faults were really there: about a third of the requests, retried by the SDK.
      expect(faulted / run.exchanges.length).toBeGreaterThan(0.2);
      expect(Math.max(...run.exchanges.map((exchange) => exchange.request.attempt))).toBeGreaterThan(1);
    },
  );
});
