import { describe, expect, it } from 'vitest';
import { faultLog, recordFigure } from '../helpers/fault-figures.ts';
import {
  exhaustive,
  faultSeeds,
  type ProcessRun,
  type RunRecord,
  type SeededAccount,
  seedCount,
  useFaultHarness,
} from '../helpers/fault-harness.ts';
import type { Exchange, ProxiedRequest } from '../helpers/fault-proxy.ts';
import { ALL_HELD, type DeliveredNotice, type Verdict } from '../helpers/run-invariants.ts';
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
 * The deletion notices of the fault-free run that a kill loses: the killed run deleted the key (its records
 * with it) and died before SES accepted the owner's mail; the rerun finds no key to tell about.
 */
function deletionNoticesLost(killed: ProcessRun, notices: DeliveredNotice[]): string[] {
  if (!killed.killed) return [];
  const reached = (exchange: Exchange) => exchange.emulatorCalls.some((call) => call.response.status === 200);
  const deletedUsers = new Set(
    killed.exchanges
      .filter((exchange) => exchange.request.action === 'DeleteAccessKey' && reached(exchange))
      .map((exchange) => exchange.request.params.get('UserName')),
  );
  const mailed = new Set(
    killed.exchanges
      .filter((exchange) => exchange.request.action === 'SendEmail' && reached(exchange))
      .flatMap((exchange) => {
        const body = JSON.parse(exchange.request.body.toString('utf8')) as {
          Destination?: { ToAddresses?: string[] };
        };
        return body.Destination?.ToAddresses ?? [];
      }),
  );
  return notices
    .filter((notice) => notice.notice === 'deleted' && !mailed.has(notice.to))
    .filter((notice) => deletedUsers.has(notice.key.split('#')[0] ?? ''))
    .map((notice) => `${notice.to} ${notice.key} ${notice.notice}`);
}

/**
 * The records a kill leaves behind for ever: the killed run deleted a key and died before removing its
 * records, and a user left with no key is never reviewed again. Harmless (they name a key that no longer
 * exists; the next review of the user, should it get a key again, removes them), and stated.
 */
function recordsLeftBehind(killed: ProcessRun, labels: SeededAccount['labels']): RegExp[] {
  if (!killed.killed) return [];
  const deleted = killed.exchanges.filter(
    (exchange) => exchange.request.action === 'DeleteAccessKey' && exchange.emulatorCalls.length > 0,
  );
  return deleted
    .filter((deletion) => {
      const user = deletion.request.params.get('UserName');
      return !killed.exchanges.some(
        (later) =>
          later.request.index > deletion.request.index &&
          later.request.action === 'UntagUser' &&
          later.request.params.get('UserName') === user &&
          later.emulatorCalls.length > 0,
      );
    })
    .map((deletion) => {
      const user = deletion.request.params.get('UserName') ?? '?';
      const label = labels.of(deletion.request.params.get('AccessKeyId') ?? '?', user);
      const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&');
      return new RegExp(
        `^record ${escapeRegExp(user)} key-hygiene:[a-z-]+:${escapeRegExp(label)}: .+ \\(expected absent\\)$`,
      );
    });
}

async function killThenRerun(
  killAt: (request: ProxiedRequest, nth: number) => boolean,
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
  const leftBehind = recordsLeftBehind(killed, account.labels);
  verdict.stateDifferences = verdict.stateDifferences.filter(
    (line) => !leftBehind.some((pattern) => pattern.test(line)),
  );
  const lostDeletionNotices = deletionNoticesLost(killed, (await harness.baseline()).notices);
  // The one notice a kill may lose, stated: the deletion notice of a key deleted before the kill.
  verdict.missingNotices = verdict.missingNotices.filter((notice) => !lostDeletionNotices.includes(notice));
  return { killed, rerun, verdict, lostDeletionNotices };
}

describe('a run killed halfway (Lambda timeout), then run again', () => {
  it('finishes the job and tells the owner when killed between a deactivation and its record', async () => {
    await harness.baseline();
    const { killed, rerun, verdict } = await killThenRerun(
      (request) => request.action === 'UpdateAccessKey',
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
    const { killed, rerun, verdict } = await killThenRerun(
      (request) => request.action === 'SendEmail',
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
      const seeds = seedCount();
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
        const { killed, rerun, verdict, lostDeletionNotices } = await killThenRerun(
          (_, nth) => nth === point,
          when,
        );
        // The kill fell where it was meant to: the point-th request of the run was its last.
        if (!killed.killed || killed.exchanges.length !== point) {
          failures.push(
            `kill at ${point} (${when}): the run ${killed.killed ? `died at request ${killed.exchanges.length}` : 'was not killed'}`,
          );
          continue;
        }
        const held = JSON.stringify(verdict) === JSON.stringify(ALL_HELD) && rerun.error === undefined;
        recordFigure(
          'killed at request N, rerun',
          seed,
          [killed, rerun],
          held,
          `kill at request ${point} (${when})${lostDeletionNotices.length > 0 ? `; lost: ${lostDeletionNotices.join(', ')}` : ''}`,
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
