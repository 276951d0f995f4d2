import { describe, expect, it } from 'vitest';
import { faultLog } from '../helpers/fault-figures.ts';
import { useFaultHarness } from '../helpers/fault-harness.ts';
import { ALL_HELD } from '../helpers/run-invariants.ts';

const harness = useFaultHarness();

// The SDK reads an HTTP 200 with an empty body as an answer with nothing in it. Read as "no tags", it
// would hide an exemption; as "never used", condemn a key in use; as "no keys", skip a key that exists.
describe('IAM answers that arrive empty (HTTP 200, no body)', () => {
  it.each([
    ['ListUserTags', {}],
    ['ListAccessKeys', {}],
    ['GetAccessKeyLastUsed', { KEY_UNUSED_DAYS: '30' }],
  ])(
    'are not taken for empty lists: every %s answer empty, nothing outside the plan changes',
    async (action, settings) => {
      const base = await harness.baseline();
      const account = await harness.freshAccount();
      const start = await harness.meaning(account);
      const run = await harness.run(
        { fault: (request) => (request.action === action ? { kind: 'empty-answer' } : undefined) },
        settings,
      );
      const claims = await harness.claimsNotBorneOut(account, run);
      const after = await harness.meaning(account);

      expect(run.error).toBeUndefined();
      expect(claims).toEqual([]);
      // The exempt user's 300-day-old key, the recently used keys: untouched.
      const { exempt, nearlyDue, fresh } = account.demo.users;
      for (const user of [exempt, nearlyDue, fresh]) {
        const label = account.labels.of(user.keys[0]?.accessKeyId ?? '?');
        expect(after.keys[label], label).toBe('Active');
      }
      // Each key is where it started or where the fault-free run put it; the failures are reported.
      for (const [label, status] of Object.entries(after.keys)) {
        expect([start.keys[label], base.account.keys[label]], label).toContain(status);
      }
      expect(run.summary?.failures.some((failure) => failure.error.includes('not trusted'))).toBe(true);
    },
  );

  it('are finished by the next run once IAM answers properly', async () => {
    await harness.baseline();
    const account = await harness.freshAccount();
    const run = await harness.run({
      fault: (request) => (request.action === 'ListUserTags' ? { kind: 'empty-answer' } : undefined),
    });
    const next = await harness.run();
    const claims = [...(await harness.claimsNotBorneOut(account, next))];
    const verdict = await harness.verdict(account, [run, next], { allNotices: true, claims });
    expect(verdict, faultLog([run, next])).toEqual(ALL_HELD);
  });
});
