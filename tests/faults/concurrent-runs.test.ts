import { describe, expect, it } from 'vitest';
import { faultLog, recordFigure } from '../helpers/fault-figures.ts';
import { faultSeeds, useFaultHarness } from '../helpers/fault-harness.ts';
import type { Fault, ProxiedRequest } from '../helpers/fault-proxy.ts';
import { ALL_HELD } from '../helpers/run-invariants.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

const harness = useFaultHarness();

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

// EventBridge delivers at least once: the nightly event can start two runs. Deployed, the function's
// reserved concurrency of 1 makes Lambda hold the second delivery back until the first run has ended (it
// then finds everything done and mails only the digest). These tests run two at once without that limit.
describe('two runs at once (the nightly event delivered twice)', () => {
  it('tells no owner twice when the second run plans before the first mails, and mails after it', async () => {
    await harness.baseline();
    const account = await harness.freshAccount();
    const firstMails = gate();
    const secondMails = gate();
    const secondReachedMail = gate();
    const tagsListed = new Set<string>();
    // The first run is held at its first mail; the second run plans meanwhile from the same notice
    // records, and is held as it turns to mail (its second look at a user's tags, or its first send).
    const hold = (request: ProxiedRequest): Fault | undefined => {
      if (request.app === 'first' && request.action === 'SendEmail')
        return { kind: 'hold', until: firstMails.opened };
      if (request.app !== 'second') return undefined;
      const user = request.params.get('UserName') ?? '';
      const mailing =
        request.action === 'SendEmail' || (request.action === 'ListUserTags' && tagsListed.has(user));
      if (request.action === 'ListUserTags') tagsListed.add(user);
      if (!mailing) return undefined;
      secondReachedMail.open();
      return { kind: 'hold', until: secondMails.opened };
    };
    harness.proxy.setRules({ fault: hold });
    const firstMailing = harness.proxy.nextRequest(
      (request) => request.app === 'first' && request.action === 'SendEmail',
    );
    const first = harness.startProcess({}, 'first');
    await Promise.race([firstMailing, first.ended]);
    const second = harness.startProcess({}, 'second');
    await Promise.race([secondReachedMail.opened, second.ended]);
    firstMails.open();
    const firstRun = await first.ended;
    secondMails.open();
    const secondRun = await second.ended;
    harness.proxy.setRules({});

    const claims = [
      ...(await harness.claimsNotBorneOut(account, firstRun)),
      ...(await harness.claimsNotBorneOut(account, secondRun)),
    ];
    const verdict = await harness.verdict(account, [firstRun, secondRun], { allNotices: true, claims });
    recordFigure(
      'two runs, second plans before the first mails',
      0,
      [firstRun, secondRun],
      JSON.stringify(verdict) === JSON.stringify(ALL_HELD),
    );

    expect(firstRun.error).toBeUndefined();
    expect(secondRun.error).toBeUndefined();
    expect(verdict, faultLog([firstRun, secondRun])).toEqual(ALL_HELD);
    // The second run had planned notices (from records the first had not yet written) and sent none.
    const skipped =
      secondRun.summary?.notifications.owners.filter((owner) => owner.status === 'skipped') ?? [];
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((owner) => owner.detail?.includes('another run'))).toBe(true);
    expect(secondRun.summary?.notifications.owners.filter((owner) => owner.status === 'sent')).toEqual([]);
  });

  it.each(faultSeeds())(
    'ends as one run would when both run in step, but for what is stated; an owner is told at most twice (seed %i)',
    async (seed) => {
      const base = await harness.baseline();
      const account = await harness.freshAccount();
      // Seeded jitter on every request, so the two runs interleave differently per seed.
      const random = seededRandom(seed);
      harness.proxy.setRules({
        fault: () => (random.chance(0.5) ? { kind: 'slow', delayMs: random.int(1, 120) } : undefined),
      });
      const runs = await Promise.all([
        harness.startProcess({}, 'first').ended,
        harness.startProcess({}, 'second').ended,
      ]);
      harness.proxy.setRules({});
      const claims = (await Promise.all(runs.map((run) => harness.claimsNotBorneOut(account, run)))).flat();
      // The next night's run, alone.
      const next = await harness.run();
      claims.push(...(await harness.claimsNotBorneOut(account, next)));
      const owners = new Set(base.notices.map((notice) => notice.to));
      const verdict = await harness.verdict(account, [...runs, next], {
        allNotices: true,
        claims,
        // Stated 1: two runs whose mail steps overlap can both send a notice before either records it.
        allowedRepeats: new Map([...owners].map((owner) => [owner, 1])),
      });
      // Stated 2: one run can drop, as stale, the deactivation record the other wrote just before
      // deactivating the key; the next run then records the key as found inactive: its grace period starts
      // that night instead (later, never earlier).
      const lostRecords = verdict.stateDifferences.filter((line) =>
        /^record \S+ key-hygiene:(deactivated:\S+: absent \(expected action time(, confirmed)?\)|inactive-since:\S+: action time \(expected absent\))$/.test(
          line,
        ),
      );
      const pairedLoss = (line: string) => {
        const key = /:(?:deactivated|inactive-since):(\S+):/.exec(line)?.[1];
        return lostRecords.filter((candidate) => candidate.includes(`:${key}:`)).length === 2;
      };
      verdict.stateDifferences = verdict.stateDifferences.filter(
        (line) => !(lostRecords.includes(line) && pairedLoss(line)),
      );
      const sent = runs.map(
        (run) => run.summary?.notifications.owners.filter((o) => o.status === 'sent').length ?? 0,
      );
      recordFigure(
        'two runs in step, then the next run',
        seed,
        [...runs, next],
        JSON.stringify(verdict) === JSON.stringify(ALL_HELD),
        `owner mails sent per run: ${sent.join(' + ')}; deactivation records lost to the race: ${lostRecords.length / 2}`,
      );

      expect(runs.map((run) => run.error)).toEqual([undefined, undefined]);
      expect(verdict, faultLog(runs)).toEqual(ALL_HELD);
    },
  );
});
