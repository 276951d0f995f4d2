import { describe, expect, it } from 'vitest';
import { benchAccount } from '../../../scripts/bench/bench-account.ts';
import { credentialReportWait } from '../../../scripts/bench/measure-in-child.ts';
import { checkRun, evaluateTargets } from '../../../scripts/bench/run-bench.ts';
import { accountRun, handlerRun, naiveRun, parsePlan } from '../../helpers/bench-fixtures.ts';

const NOW = new Date('2026-11-23T03:00:00.000Z');

describe('checkRun', () => {
  const account = benchAccount({ users: 100, duePercent: 1, now: NOW });

  it.each([
    ['a handler run that deactivated the due key', handlerRun(9), []],
    ['a naive run that listed everything and deactivated the due key', naiveRun(202), []],
    [
      'a handler run that deactivated nothing',
      handlerRun(4, { done: 0 }),
      ['keys deactivated is 0, expected 1'],
    ],
    [
      'a handler run whose guard tripped',
      handlerRun(9, { guardTripped: true }),
      ['guard tripped is true, expected false'],
    ],
    [
      'a handler run that read a partial report',
      handlerRun(9, { usersInReport: 99 }),
      ['users in the report is 99, expected 100'],
    ],
    ['a handler run with failures', handlerRun(9, { failures: 2 }), ['failures is 2, expected 0']],
    ['a naive run that missed keys', naiveRun(200, { keys: 98 }), ['keys listed is 98, expected 100']],
    [
      'a run with failed requests',
      { ...naiveRun(202), failedRequests: 3 },
      ['requests answered with an error is 3, expected 0'],
    ],
  ])('judges %s', (_, run, problems) => {
    expect(checkRun(run, account)).toEqual(problems);
  });
});

describe('evaluateTargets', () => {
  const scaling = [
    accountRun(100, 0, { handler: handlerRun(4) }),
    accountRun(5000, 0, { handler: handlerRun(4) }),
    accountRun(5000, 250, { handler: handlerRun(1279) }),
  ];

  it('meets every target on a run that is cheap, fast and linear in due keys', () => {
    // 4 requests, plus 3.5 per due key.
    const comparison = [
      accountRun(100, 2, { naive: naiveRun(202), handler: handlerRun(11) }),
      accountRun(5000, 50, { naive: naiveRun(10_051), handler: handlerRun(179) }),
    ];
    const linear = [...scaling.slice(0, 2), accountRun(5000, 250, { handler: handlerRun(879) })];
    const targets = evaluateTargets(comparison, linear, parsePlan(30, 45));

    expect(targets.map((target) => [target.name, target.met])).toEqual([
      ['requests at 5000 users', true],
      ['handler run at 5000 users', true],
      ['parse + plan of a 5000-user report', true],
      ['requests with no key due', true],
      ['requests per due key', true],
    ]);
    expect(targets[0]?.measured).toBe('56.2x fewer (179 against 10051)');
    expect(targets[4]?.measured).toBe('3.50 to 3.50 requests per due key');
  });

  it('misses linearity when a due key costs more at one size than at another', () => {
    const comparison = [
      accountRun(100, 1, { naive: naiveRun(202), handler: handlerRun(9) }),
      accountRun(5000, 50, { naive: naiveRun(10_051), handler: handlerRun(180) }),
    ];
    const [, , perDueKey] = evaluateTargets(comparison, scaling, parsePlan(30, 45)).slice(2);

    expect(perDueKey).toMatchObject({ met: false, measured: '3.52 to 5.10 requests per due key' });
  });

  it('misses the targets a run falls short of, and says by how much', () => {
    const comparison = [
      accountRun(5000, 50, { naive: naiveRun(10_051), handler: { ...handlerRun(259), wallMs: 12_000 } }),
    ];
    const idleDiffers = [...scaling, accountRun(1000, 0, { handler: handlerRun(5) })];
    const targets = evaluateTargets(comparison, idleDiffers, parsePlan(40, 60));

    expect(targets).toEqual([
      expect.objectContaining({ met: false, measured: '38.8x fewer (259 against 10051)' }),
      expect.objectContaining({ met: false, measured: '12.00 s (of which 1.0 s waiting for the report)' }),
      expect.objectContaining({ met: false, measured: 'median 40.0 ms, p95 60.0 ms' }),
      expect.objectContaining({ met: false, measured: '4, 5 requests at 100, 5000, 1000 users' }),
      expect.objectContaining({ met: true, measured: '5.10 to 5.10 requests per due key' }),
    ]);
  });

  it('reads the runs with no key due from the comparison too, as with --due 0', () => {
    const comparison = [
      accountRun(100, 0, { naive: naiveRun(201), handler: handlerRun(4) }),
      accountRun(5000, 0, { naive: naiveRun(10_001), handler: handlerRun(4) }),
    ];
    const noneDue = evaluateTargets(comparison, [], parsePlan(30, 45))[3];

    expect(noneDue).toMatchObject({ met: true, measured: '4 requests at 100, 5000 users' });
  });

  it('leaves the targets of a size that was not run undecided', () => {
    const comparison = [accountRun(100, 1, { naive: naiveRun(202), handler: handlerRun(9) })];
    const targets = evaluateTargets(
      comparison,
      [accountRun(100, 0, { handler: handlerRun(4) })],
      parsePlan(30, 45),
    );

    expect(targets.map((target) => target.met)).toEqual([undefined, undefined, true, undefined, true]);
    expect(targets[0]?.measured).toBe('not measured (add 5000 to --sizes)');
  });
});

describe('credentialReportWait', () => {
  it.each([
    [
      'the handler waiting',
      '{"level":"INFO","message":"Waiting for the credential report","reason":"report STARTED","delayMs":1000}',
      1000,
    ],
    ['another log line', '{"level":"INFO","message":"Credential report read","users":100}', 0],
    ['a line that is not JSON', 'Waiting for the credential report: 1000 ms', 0],
    ['a wait without a delay', '{"message":"Waiting for the credential report","delayMs":"soon"}', 0],
  ])('reads %s', (_, line, delayMs) => {
    expect(credentialReportWait(line)).toBe(delayMs);
  });
});
