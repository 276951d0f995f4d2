import { describe, expect, it } from 'vitest';
import { faultLog, recordFigure } from '../helpers/fault-figures.ts';
import { exhaustive, SECURITY_TEAM, useFaultHarness } from '../helpers/fault-harness.ts';
import type { Fault, ProxiedRequest } from '../helpers/fault-proxy.ts';
import { ALL_HELD, mailsTo, noticeSet } from '../helpers/run-invariants.ts';

const harness = useFaultHarness();

describe('SES down', () => {
  // Throttling costs the SDK's full backoff (about 35 s a send before the mailer holds the rest back):
  // only under `npm run test:faults`.
  const downs: [string, Fault][] = [
    ['503 Service Unavailable', { kind: 'server-error', status: 503 }],
    ['dropped connections', { kind: 'reset', when: 'before' }],
    ...(exhaustive() ? [['429 TooManyRequests on every send', { kind: 'throttle' }] as [string, Fault]] : []),
  ];
  it.each(downs)(
    'enforces all the same, reports every mail failed, and the next run sends the notices (%s)',
    async (_case, fault) => {
      const base = await harness.baseline();
      const account = await harness.freshAccount();
      const down = (request: ProxiedRequest) => (request.service === 'ses' ? fault : undefined);
      const run = await harness.run({ fault: down });
      const claims = await harness.claimsNotBorneOut(account, run);
      const owners = run.summary?.notifications.owners ?? [];
      const afterRun = await harness.meaning(account);
      const mailsWhileDown = await harness.control.sentEmails();

      // The next night SES is back: every notice but the deletion's (its key and records are gone) goes out.
      const next = await harness.run();
      const nextClaims = await harness.claimsNotBorneOut(account, next);
      const verdict = await harness.verdict(account, [run, next], { claims: [...claims, ...nextClaims] });
      const tried = run.exchanges.filter((exchange) => exchange.request.action === 'SendEmail').length;
      recordFigure(
        `SES down (${_case}), then back`,
        0,
        [run, next],
        JSON.stringify(verdict) === JSON.stringify(ALL_HELD),
        `faulted run: ${Math.round(run.ms / 1000)} s, ${tried} SendEmail requests for ${owners.length + 1} mails`,
      );

      expect(run.error).toBeUndefined();
      expect(mailsWhileDown).toEqual([]);
      // Keys as the fault-free run left them; only the notice records are missing.
      expect(afterRun.keys).toEqual(base.account.keys);
      expect(owners.length).toBe(base.summary.notifications.owners.length);
      expect(owners.every((owner) => owner.status === 'failed')).toBe(true);
      expect(run.summary?.notifications.digest.status).toBe('failed');
      expect(run.summary?.audit).toMatchObject({ published: 6, failed: [] });
      expect(verdict, faultLog([run])).toEqual(ALL_HELD);
      const delivered = noticeSet(await harness.notices(account));
      expect(noticeSet(base.notices).filter((notice) => !delivered.includes(notice))).toEqual(
        noticeSet(base.notices.filter((notice) => notice.notice === 'deleted')),
      );
      expect(next.summary?.notifications.digest.status).toBe('sent');
      expect(mailsTo(await harness.control.sentEmails(), SECURITY_TEAM[0] ?? '?')).toHaveLength(1);
      // Fast enough to leave the run its time: SES being down must not eat the Lambda's 300 s.
      expect(run.ms).toBeLessThan(120_000);
    },
  );
});
