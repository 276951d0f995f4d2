import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordFigure } from '../helpers/fault-figures.ts';
import { exhaustive, faultSeeds, type RunRecord, useFaultHarness } from '../helpers/fault-harness.ts';
import type { ProxiedRequest, UpstreamResponse } from '../helpers/fault-proxy.ts';
import { mutateReport, reportMutation } from '../helpers/report-mutations.ts';
import { ALL_HELD, mutationsOf, mutationsOutsidePlan } from '../helpers/run-invariants.ts';

const harness = useFaultHarness();
const numRuns = exhaustive() ? 200 : 20;

type Damage =
  | { kind: 'text'; mutations: Parameters<typeof mutateReport>[1][] }
  | { kind: 'bytes'; at: number; bytes: Uint8Array }
  | { kind: 'xml cut short'; at: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      mutations: fc.array(reportMutation, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('xml cut short' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    }),
  },
);

/** Rewrites the report inside IAM's GetCredentialReport answer (XML, the CSV in base64 in <Content>). */
function rewriteReport(change: (content: Buffer) => Buffer) {
  return (request: ProxiedRequest, response: UpstreamResponse): UpstreamResponse | undefined => {
    if (request.action !== 'GetCredentialReport' || response.status !== 200) return undefined;
    const xml = response.body.toString('utf8');
    const match = /<Content>([^<]*)<\/Content>/.exec(xml);
    if (match?.[1] === undefined) throw new Error('no <Content> in the GetCredentialReport answer');
    const content = change(Buffer.from(match[1], 'base64'));
    return {
      ...response,
      body: Buffer.from(xml.replace(match[0], `<Content>${content.toString('base64')}</Content>`)),
    };
  };
}

function damageReport(what: Damage) {
  if (what.kind === 'xml cut short') {
    return (request: ProxiedRequest, response: UpstreamResponse): UpstreamResponse | undefined =>
      request.action !== 'GetCredentialReport' || response.status !== 200
        ? undefined
        : { ...response, body: response.body.subarray(0, Math.floor(response.body.length * what.at)) };
  }
  return rewriteReport((original) => {
    if (what.kind === 'bytes') {
      const at = Math.floor(original.length * what.at);
      return Buffer.concat([original.subarray(0, at), Buffer.from(what.bytes), original.subarray(at)]);
    }
    const csv = what.mutations.reduce(
      (text, mutation) => (text === '' ? text : mutateReport(text, mutation)),
      original.toString('utf8'),
    );
    return Buffer.from(csv, 'utf8');
  });
}

const CHANGES = new Set([
  'UpdateAccessKey',
  'DeleteAccessKey',
  'TagUser',
  'UntagUser',
  'SendEmail',
  'PutEvents',
]);
const REPORT_ERRORS = ['CredentialReportFormatError', 'CredentialReportError'];

describe('a malformed, truncated or garbled credential report (fast-check, through the handler)', () => {
  it.each(faultSeeds())(
    `refuses with a CredentialReportError and changes, mails and publishes nothing, or reads it and acts within the plan (seed %i, ${numRuns} reports)`,
    async (seed) => {
      const base = await harness.baseline();
      const account = await harness.freshAccount();
      const runs: RunRecord[] = [];
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(damage, async (what) => {
          const run = await harness.run({ rewrite: damageReport(what) });
          runs.push(run);
          if (run.error !== undefined) {
            refused += 1;
            expect(REPORT_ERRORS).toContain(run.error.name);
            const changes = run.exchanges.filter(
              (exchange) => CHANGES.has(exchange.request.action) && exchange.emulatorCalls.length > 0,
            );
            expect(changes.map((exchange) => exchange.request.action)).toEqual([]);
          } else {
            expect(mutationsOutsidePlan(mutationsOf(run.exchanges, account.labels), base.mutations)).toEqual(
              [],
            );
            expect(await harness.claimsNotBorneOut(account, run)).toEqual([]);
          }
        }),
        { numRuns, seed, endOnFailure: true },
      );
      recordFigure(
        'damaged credential report',
        seed,
        runs,
        true,
        `${runs.length} reports, ${refused} refused, ${runs.length - refused} read`,
      );
      expect(refused).toBeGreaterThan(0);
    },
  );

  it('reads a report with its columns reordered, every cell quoted and CRLF line ends as the original', async () => {
    await harness.baseline();
    const account = await harness.freshAccount();
    const run = await harness.run({
      rewrite: damageReport({
        kind: 'text',
        mutations: [
          { kind: 'swap-columns', a: 0, b: 9 },
          { kind: 'swap-columns', a: 3, b: 21 },
          { kind: 'quote-every-cell' },
          { kind: 'crlf-line-ends' },
        ],
      }),
    });
    const claims = await harness.claimsNotBorneOut(account, run);
    expect(run.error).toBeUndefined();
    expect(await harness.verdict(account, [run], { allNotices: true, claims })).toEqual(ALL_HELD);
  });
});

/** Changes the report inside IAM's GetCredentialReport answer, line by line. */
function changeReportRows(change: (line: string) => string) {
  return rewriteReport((content) => Buffer.from(content.toString('utf8').split('\n').map(change).join('\n')));
}

// One odd row used to stop enforcement for the whole account.
describe('a credential report with one unreadable row (through the handler)', () => {
  it('sets the row aside, looks at its user live, and ends as the fault-free run', async () => {
    await harness.baseline();
    const account = await harness.freshAccount();
    const { userName } = account.demo.users.overdue;
    // The overdue user's row: its first key's `active` flag (the 9th field) made unreadable.
    const run = await harness.run({
      rewrite: changeReportRows((line) =>
        line.startsWith(`${userName},`)
          ? line
              .split(',')
              .map((cell, index) => (index === 8 ? 'maybe' : cell))
              .join(',')
          : line,
      ),
    });
    const claims = await harness.claimsNotBorneOut(account, run);

    expect(run.error).toBeUndefined();
    expect(run.summary?.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        subject: userName,
        message: expect.stringContaining('column access_key_1_active is not true, false or N/A: "maybe"'),
      }),
    ]);
    expect(await harness.verdict(account, [run], { allNotices: true, claims })).toEqual(ALL_HELD);
  });

  it('lists a row whose user cannot be named as a critical finding, and enforces every other user', async () => {
    const base = await harness.baseline();
    const account = await harness.freshAccount();
    const { userName, keys } = account.demo.users.overdue;
    const start = await harness.meaning(account);
    const run = await harness.run({
      rewrite: changeReportRows((line) => (line.startsWith(`${userName},`) ? `x"y${line}` : line)),
    });
    const after = await harness.meaning(account);

    expect(run.error).toBeUndefined();
    expect(run.summary?.findings).toEqual([
      expect.objectContaining({
        severity: 'critical',
        subject: expect.stringMatching(/^credential report line \d+$/),
        message: expect.stringContaining('no key of that user was checked tonight'),
      }),
    ]);
    const label = account.labels.of(keys[0]?.accessKeyId ?? '?');
    expect(after.keys[label]).toBe(start.keys[label]);
    expect(after.keys).toEqual({ ...base.account.keys, [label]: start.keys[label] });
    expect(await harness.claimsNotBorneOut(account, run)).toEqual([]);
  });
});
