import { describe, expect, it } from 'vitest';
import { faultLog, recordFigure } from '../helpers/fault-figures.ts';
import {
  exhaustive,
  faultSeeds,
  type ProcessRun,
  type RunRecord,
  useFaultHarness,
} from '../helpers/fault-harness.ts';
import type { Exchange, ProxiedRequest } from '../helpers/fault-proxy.ts';
import { ALL_HELD, type Verdict } from '../helpers/run-invariants.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

const harness = useFaultHarness();

/**
 * Per address, the owner mails SES accepted in the killed run with no notice record written after them:
 * the run died between the send and the record, so the rerun sends that mail again. This window (one
 * request wide) is the one place a kill repeats a notice; the service sends, then records, on purpose:
 * the other order would lose the notice instead.
 */
function sentButNotRecorded(exchanges: Exchange[]): Map<string, number> {
  const pending = new Map<string, number>();
  let lastAddress: string | undefined;
  for (const exchange of exchanges) {
    const { request } = exchange;
    const reached = exchange.emulatorCalls.some((call) => call.response.status === 200);
    if (request.action === 'SendEmail' && reached) {
      const body = JSON.parse(request.body.toString('utf8')) as { Destination?: { ToAddresses?: string[] } };
      lastAddress = body.Destination?.ToAddresses?.[0];
    } else if (request.action === 'TagUser' && reached && request.body.includes('key-hygiene%3Anotified')) {
      lastAddress = undefined;
    }
  }
  if (lastAddress !== undefined) pending.set(lastAddress, 1);
  return pending;
}

/**
 * Deletion notices that cannot be sent after a kill: the key was deleted (its records with it) and the
 * run died before the owner's mail went out; the rerun finds no key to tell about.
 */
function deletionNoticesLost(exchanges: Exchange[], killed: ProcessRun): string[] {
  if (!killed.killed) return [];
  const deleted = exchanges.filter(
    (exchange) => exchange.request.action === 'DeleteAccessKey' && exchange.emulatorCalls.length > 0,
  );
  return deleted.map((exchange) => exchange.request.params.get('UserName') ?? '?');
}

async function killThenRerun(
  killAt: (request: ProxiedRequest) => boolean,
  when: 'before' | 'after',
): Promise<{ killed: ProcessRun; rerun: RunRecord; verdict: Verdict; lostDeletionNotices: string[] }> {
  const account = await harness.freshAccount();
  const killed = await harness.runKilled(killAt, when);
  const rerun = await harness.run();
  const claims = await harness.claimsNotBorneOut(account, rerun);
  const verdict = await harness.verdict(account, [killed, rerun], {
    allNotices: true,
    claims,
    allowedRepeats: sentButNotRecorded(killed.exchanges),
  });
  const lostDeletionNotices = deletionNoticesLost(killed.exchanges, killed);
  // The one notice a kill may lose, stated: the deletion notice of a key deleted before the kill.
  verdict.missingNotices = verdict.missingNotices.filter(
    (notice) =>
      !(notice.endsWith(' deleted') && lostDeletionNotices.some((user) => notice.includes(`${user}#`))),
  );
  return { killed, rerun, verdict, lostDeletionNotices };
}

const nth =
  (index: number) =>
  (request: ProxiedRequest): boolean =>
    request.index >= index;

describe('a run killed halfway (Lambda timeout), then run again', () => {
  it('finishes the job and tells the owner when killed between a deactivation and its record', async () => {
    await harness.baseline();
    const from = harness.proxy.exchanges.length;
    const { killed, rerun, verdict } = await killThenRerun(
      (request) => request.action === 'UpdateAccessKey' && request.index > from,
      'after',
    );
    recordFigure(
      'killed after a deactivation',
      0,
      [killed, rerun],
      JSON.stringify(verdict) === JSON.stringify(ALL_HELD),
    );

    expect(killed.killed).toBe(true);
    expect(rerun.error).toBeUndefined();
    expect(verdict, faultLog([killed, rerun])).toEqual(ALL_HELD);
  });

  it('sends a notice again only when killed between SES accepting it and its record', async () => {
    await harness.baseline();
    const from = harness.proxy.exchanges.length;
    const { killed, rerun, verdict } = await killThenRerun(
      (request) => request.action === 'SendEmail' && request.index > from,
      'after',
    );

    expect(killed.killed).toBe(true);
    expect(verdict).toEqual(ALL_HELD);
    // That mail, and only it, went twice.
    const [address] = [...sentButNotRecorded(killed.exchanges).keys()];
    const twice = (await harness.control.sentEmails()).filter((mail) =>
      mail.kind === 'raw' ? mail.destinations.includes(address ?? '?') : false,
    );
    expect(twice).toHaveLength(2);
    expect(
      rerun.summary?.notifications.owners.filter((owner) => owner.status === 'sent').length,
    ).toBeGreaterThan(0);
  });

  const sweep = exhaustive();
  it.each(faultSeeds())(
    `ends as the fault-free run when killed at ${sweep ? 'every request, before and after it reaches AWS' : 'a seeded request'} (seed %i)`,
    async (seed) => {
      const base = await harness.baseline();
      const random = seededRandom(seed);
      // In the sweep, seed s covers the kill points s, s + seeds, s + 2 * seeds, ... in both modes.
      const seeds = faultSeeds().length;
      const points = sweep
        ? Array.from({ length: base.requests }, (_, index) => index + 1)
            .filter((point) => point % seeds === seed % seeds)
            .flatMap((point) => [
              { point, when: 'before' as const },
              { point, when: 'after' as const },
            ])
        : [{ point: random.int(1, base.requests), when: random.pick(['before', 'after'] as const) }];
      const failures: string[] = [];
      for (const { point, when } of points) {
        const from = harness.proxy.exchanges.length;
        const { killed, rerun, verdict, lostDeletionNotices } = await killThenRerun(nth(from + point), when);
        const held = JSON.stringify(verdict) === JSON.stringify(ALL_HELD) && rerun.error === undefined;
        recordFigure(
          'killed at request N, rerun',
          seed,
          [killed, rerun],
          held,
          `kill at request ${point} (${when})${lostDeletionNotices.length > 0 ? `; deletion notice lost: ${lostDeletionNotices.join(', ')}` : ''}`,
        );
        if (!held)
          failures.push(
            `kill at ${point} (${when}): ${JSON.stringify(verdict)} ${rerun.error?.message ?? ''}`,
          );
      }
      expect(failures).toEqual([]);
    },
  );
});
