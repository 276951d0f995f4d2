import { describe, expect, it } from 'vitest';
import { formatBenchReport, textTable } from '../../../scripts/bench/bench-report.ts';
import { progressBar } from '../../../scripts/bench/progress-bar.ts';
import type { BenchResults } from '../../../scripts/bench/run-bench.ts';
import { accountRun, handlerRun, naiveRun, parsePlan } from '../../helpers/bench-fixtures.ts';

describe('textTable', () => {
  it('aligns text left and numbers right, under a rule as wide as each column', () => {
    expect(
      textTable(
        ['action', 'naive', 'fewer'],
        [
          ['iam:ListUsers', '1', '-'],
          ['iam:ListAccessKeys', '10,000', '38.8x'],
        ],
      ),
    ).toBe(
      [
        'action               naive  fewer',
        '------------------  ------  -----',
        'iam:ListUsers            1      -',
        'iam:ListAccessKeys  10,000  38.8x',
      ].join('\n'),
    );
  });
});

describe('progressBar', () => {
  function stream(isTTY: boolean) {
    const written: string[] = [];
    return { written, write: (text: string) => written.push(text) > 0, isTTY };
  }

  it('redraws one line in place on a terminal, and ends it when done', () => {
    const terminal = stream(true);
    const advance = progressBar('seeding', terminal);
    advance(0, 4);
    advance(2, 4);
    advance(4, 4);

    expect(terminal.written.map((text) => text.replace(/ [\d.]+ s/, ' T s'))).toEqual([
      `\rseeding [${'-'.repeat(30)}] 0/4 T s`,
      `\rseeding [${'#'.repeat(15)}${'-'.repeat(15)}] 2/4 T s`,
      `\rseeding [${'#'.repeat(30)}] 4/4 T s\n`,
    ]);
  });

  it('writes a single line when done elsewhere, so logs stay readable', () => {
    const log = stream(false);
    const advance = progressBar('seeding', log);
    advance(0, 4);
    advance(2, 4);
    advance(4, 4);

    expect(log.written).toEqual([expect.stringMatching(/^seeding: 4\/4 in [\d.]+ s\n$/)]);
  });
});

describe('formatBenchReport', () => {
  const results: BenchResults = {
    startedAt: '2026-11-23T03:00:00.000Z',
    now: '2026-11-23T03:00:00.000Z',
    durationMs: 90_000,
    machine: {
      cpus: 2,
      cpuModel: 'Test CPU',
      memoryGib: 8,
      os: 'linux 6',
      node: 'v20.19.0',
      python: '3.11.7',
      moto: '5.2.1',
      awsSdk: '3.1169.0',
    },
    loadAverage: { atStart: [0.5, 0.25, 0.1], atEnd: [1, 0.5, 0.2] },
    options: {
      sizes: [5000],
      duePercent: 1,
      iterations: 50,
      coldStarts: 10,
      skipPackage: true,
      steadyUsers: 5000,
      nights: 0,
    },
    comparison: [accountRun(5000, 50, { naive: naiveRun(10_051), handler: handlerRun(259) })],
    scaling: [accountRun(5000, 0, { handler: handlerRun(4) })],
    parsePlan: parsePlan(120, 150),
    bundles: { skipped: '--skip-package' },
    targets: [
      { name: 'requests at 5000 users', target: 'at least 50x fewer', measured: '38.8x', met: false },
    ],
  };

  it('prints the machine, the comparison, the targets and what was skipped', () => {
    const report = formatBenchReport(results);

    expect(report).toContain('Machine: 2 CPUs (Test CPU), 8 GiB RAM, linux 6');
    expect(report).toContain('Node v20.19.0, Python 3.11.7, moto 5.2.1, AWS SDK 3.1169.0');
    expect(report).toContain('load average 0.50 / 0.25 / 0.10 at the start, 1.00 / 0.50 / 0.20 at the end');
    expect(report).toMatch(/5,000 +5,000 +50 +10,051 +259 +38\.8x/);
    expect(report).toMatch(/requests at 5000 users +at least 50x fewer +38\.8x +MISSED/);
    expect(report).toContain('Bundles and cold starts: skipped (--skip-package)');
  });
});
