import { describe, expect, it } from 'vitest';
import { faultLog } from '../helpers/fault-figures.ts';
import { useFaultHarness } from '../helpers/fault-harness.ts';
import type { UpstreamResponse } from '../helpers/fault-proxy.ts';
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

// A key whose status is missing or undocumented was read as Inactive: an active key in use would get a
// grace period of its own and, a month later, be deleted.
describe('IAM key lists with no usable key status', () => {
  it.each([
    ['is missing', ''],
    ['is neither Active nor Inactive', '<Status>Expired</Status>'],
  ])(
    'are refused when the status %s: the user is reported, not recorded, and the rest is enforced',
    async (_case, replacement) => {
      const base = await harness.baseline();
      const account = await harness.freshAccount();
      const start = await harness.meaning(account);
      const { nearlyDue } = account.demo.users;
      const run = await harness.run({
        rewrite: (request, response): UpstreamResponse | undefined =>
          request.action === 'ListAccessKeys' && request.params.get('UserName') === nearlyDue.userName
            ? {
                ...response,
                body: Buffer.from(
                  response.body.toString('utf8').replace('<Status>Active</Status>', replacement),
                ),
              }
            : undefined,
      });
      const after = await harness.meaning(account);

      expect(run.error).toBeUndefined();
      expect(await harness.claimsNotBorneOut(account, run)).toEqual([]);
      expect(run.summary?.failures).toEqual([
        expect.objectContaining({
          userName: nearlyDue.userName,
          error: expect.stringContaining('neither Active nor Inactive; the answer is not trusted'),
        }),
      ]);
      // The user whose key list was damaged: key and records as they were (no grace period started).
      expect(after.keys[account.labels.of(nearlyDue.keys[0]?.accessKeyId ?? '?')]).toBe('Active');
      expect(after.records[nearlyDue.userName]).toEqual(start.records[nearlyDue.userName]);
      // Everyone else: as in the fault-free run.
      for (const [label, status] of Object.entries(base.account.keys)) {
        if (!label.startsWith(`${nearlyDue.userName}#`)) expect(after.keys[label], label).toBe(status);
      }
    },
  );
});
