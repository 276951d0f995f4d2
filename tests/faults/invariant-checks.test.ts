import { describe, expect, it } from 'vitest';
import { useFaultHarness } from '../helpers/fault-harness.ts';
import type { FaultRules } from '../helpers/fault-proxy.ts';
import { ALL_HELD, type Verdict } from '../helpers/run-invariants.ts';

const harness = useFaultHarness();

// A check that cannot fail proves nothing: each rule below makes the run (or the wire) lie in one way, and
// the invariant checks the fault scenarios rely on must catch it.
describe('the invariant checks catch a run that breaks them', () => {
  const cases: {
    case: string;
    rules: (labelOf: (scenario: 'fresh') => string) => FaultRules;
    caught: (keyof Verdict)[];
  }[] = [
    {
      case: 'a deactivation sent to another key than planned',
      rules: (idOf) => ({
        exchange: (request, forward) =>
          request.action === 'UpdateAccessKey'
            ? forward(
                Buffer.from(
                  request.body
                    .toString('utf8')
                    .replace(/AccessKeyId=\w+/, `AccessKeyId=${idOf('fresh')}`)
                    .replace(/UserName=[^&]+/, 'UserName=alice.fresh'),
                ),
              )
            : undefined,
      }),
      caught: ['stateDifferences', 'outsidePlan', 'claimsNotBorneOut'],
    },
    {
      case: 'an owner mail delivered twice',
      rules: () => ({
        exchange: async (request, forward) => {
          if (request.action !== 'SendEmail') return undefined;
          await forward();
          return forward();
        },
      }),
      caught: ['repeatedNotices'],
    },
    {
      case: 'mail reported sent that SES never received',
      rules: () => ({
        exchange: async (request) =>
          request.action === 'SendEmail'
            ? {
                status: 200,
                headers: { 'content-type': 'application/json' },
                body: Buffer.from('{"MessageId":"never-sent"}'),
              }
            : undefined,
      }),
      caught: ['missingNotices', 'claimsNotBorneOut'],
    },
    {
      case: 'audit events acknowledged that EventBridge never received',
      rules: () => ({
        exchange: async (request) => {
          if (request.action !== 'PutEvents') return undefined;
          const { Entries } = JSON.parse(request.body.toString('utf8')) as { Entries: unknown[] };
          const answer = {
            FailedEntryCount: 0,
            Entries: Entries.map((_, index) => ({ EventId: `fake-${index}` })),
          };
          return {
            status: 200,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Buffer.from(JSON.stringify(answer)),
          };
        },
      }),
      caught: ['claimsNotBorneOut'],
    },
  ];

  it.each(cases)('$case', async ({ rules, caught }) => {
    await harness.baseline();
    const account = await harness.freshAccount();
    const idOf = (scenario: 'fresh') => account.demo.users[scenario].keys[0]?.accessKeyId ?? '?';
    const run = await harness.run(rules(idOf));
    const claims = await harness.claimsNotBorneOut(account, run);
    const verdict = await harness.verdict(account, [run], { allNotices: true, claims });
    const broken = (Object.keys(ALL_HELD) as (keyof Verdict)[]).filter((check) => verdict[check].length > 0);
    expect(broken).toEqual(expect.arrayContaining(caught));
    expect(broken.length).toBeGreaterThan(0);
  });
});
