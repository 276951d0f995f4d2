import type { RunMeasurement } from './measure-in-child.ts';
import type { AccountRun, BenchResults } from './run-bench.ts';

/** A plain-text table: a header row, a rule, then the rows; numbers are right-aligned. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = header.map((_, column) => rows.every((row) => /^[\d.,x%-]*$/.test(row[column] ?? '')));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return numeric[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mib = (value: number) => value.toFixed(0);
const kib = (bytes: number) => (bytes / 1024).toFixed(0);
const count = (value: number) => value.toLocaleString('en-US');
/** Peak RSS, and in brackets how much of it the run added to the loaded modules. */
const rss = (run: RunMeasurement) =>
  `${mib(run.memory.peakRssMib)} (+${mib(run.memory.peakRssMib - run.memory.rssBeforeMib)})`;
const load = (averages: number[]) => averages.map((value) => value.toFixed(2)).join(' / ');

function requestsOf(account: AccountRun, kind: 'naive' | 'handler'): number | undefined {
  return account.runs[kind]?.totalRequests;
}

/** The bench's results as the readable tables it prints (BENCHMARKS.md quotes them). */
export function formatBenchReport(results: BenchResults): string {
  const { machine } = results;
  const sections: string[] = [];
  sections.push(
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGib} GiB RAM, ${machine.os}\n` +
      `Node ${machine.node}, Python ${machine.python}, moto ${machine.moto}, AWS SDK ${machine.awsSdk}\n` +
      `Bench run ${results.startedAt}, ${seconds(results.durationMs)} s in all; load average ` +
      `${load(results.loadAverage.atStart)} at the start, ${load(results.loadAverage.atEnd)} at the end`,
  );

  sections.push(
    `Handler against the naive scan, same account, ${results.options.duePercent}% of users with a due key\n` +
      textTable(
        [
          'users',
          'keys',
          'due',
          'naive req',
          'handler req',
          'fewer',
          'naive s',
          'handler s',
          '(report wait s)',
          'naive RSS MiB (run)',
          'handler RSS MiB (run)',
          'naive heap MiB',
          'handler heap MiB',
        ],
        results.comparison.map((account) => {
          const naive = account.runs.naive;
          const handler = account.runs.handler;
          return [
            count(account.users),
            count(account.keys),
            count(account.dueKeys),
            naive ? count(naive.totalRequests) : '-',
            handler ? count(handler.totalRequests) : '-',
            naive && handler ? `${(naive.totalRequests / handler.totalRequests).toFixed(1)}x` : '-',
            naive ? seconds(naive.wallMs) : '-',
            handler ? seconds(handler.wallMs) : '-',
            handler ? seconds(handler.reportWaitMs) : '-',
            naive ? rss(naive) : '-',
            handler ? rss(handler) : '-',
            naive ? mib(naive.memory.peakHeapMib) : '-',
            handler ? mib(handler.memory.peakHeapMib) : '-',
          ];
        }),
      ),
  );

  const columns = results.comparison.flatMap((account) =>
    (['naive', 'handler'] as const).flatMap((kind) => {
      const run = account.runs[kind];
      return run ? [{ title: `${kind} ${account.users}`, run }] : [];
    }),
  );
  const actions = [
    ...new Set(columns.flatMap(({ run }) => run.requests.map((entry) => `${entry.service}:${entry.action}`))),
  ].sort();
  sections.push(
    'Requests by service and action (counted at the emulator)\n' +
      textTable(
        ['action', ...columns.map(({ title }) => title)],
        [
          ...actions.map((action) => [
            action,
            ...columns.map(({ run }) => {
              const entry = run.requests.find(
                (candidate) => `${candidate.service}:${candidate.action}` === action,
              );
              return entry ? count(entry.count) : '-';
            }),
          ]),
          ['time in moto (s)', ...columns.map(({ run }) => seconds(run.emulatorMs))],
        ],
      ),
  );

  const scalingRows = [...results.comparison, ...results.scaling]
    .filter((account) => account.runs.handler)
    .sort((a, b) => a.users - b.users || a.duePercent - b.duePercent);
  sections.push(
    'Handler requests against users and due keys\n' +
      textTable(
        ['users', 'due %', 'due keys', 'requests', 'IAM', 'EventBridge', 'wall s', 'RSS MiB (run)'],
        scalingRows.map((account) => {
          const run = account.runs.handler;
          const of = (service: string) =>
            run?.requests
              .filter((entry) => entry.service === service)
              .reduce((total, e) => total + e.count, 0) ?? 0;
          return [
            count(account.users),
            `${account.duePercent}`,
            count(account.dueKeys),
            count(requestsOf(account, 'handler') ?? 0),
            count(of('iam')),
            count(of('events')),
            run ? seconds(run.wallMs) : '-',
            run ? rss(run) : '-',
          ];
        }),
      ),
  );

  const { parsePlan } = results;
  const stage = (name: string, value: { median: number; p95: number; max: number }) => [
    name,
    value.median.toFixed(2),
    value.p95.toFixed(2),
    value.max.toFixed(2),
  ];
  sections.push(
    `Parse + plan, pure CPU: a ${count(parsePlan.users)}-user report (${kib(parsePlan.reportBytes)} KiB, ` +
      `${parsePlan.flagged} users flagged), ${parsePlan.iterations} iterations\n` +
      textTable(
        ['step', 'median ms', 'p95 ms', 'max ms'],
        [
          stage('parseCredentialReport', parsePlan.parseMs),
          stage('selectUsersForReview', parsePlan.selectMs),
          stage('planKeyActions', parsePlan.planMs),
          stage('total', parsePlan.totalMs),
          stage('(PapaParse alone, reference)', parsePlan.csvLibraryMs),
        ],
      ),
  );

  if ('skipped' in results.bundles) {
    sections.push(`Bundles and cold starts: skipped (${results.bundles.skipped})`);
  } else {
    sections.push(
      'Bundles (serverless package) and cold starts (import of the bundle in a fresh Node process)\n' +
        textTable(
          [
            'function',
            'zip KiB',
            'unzipped',
            'import median ms',
            'import p95 ms',
            'ready median ms',
            'RSS MiB',
            'runs',
          ],
          results.bundles.map((bundle) => [
            bundle.name,
            kib(bundle.zipBytes),
            bundle.files.map((file) => `${file.path.split('/').pop()} ${kib(file.bytes)} KiB`).join(', '),
            bundle.coldStart.importMs.median.toFixed(0),
            bundle.coldStart.importMs.p95.toFixed(0),
            bundle.coldStart.readyMs.median.toFixed(0),
            bundle.coldStart.rssMib.median.toFixed(0),
            `${bundle.coldStart.repetitions}`,
          ]),
        ),
    );
  }

  sections.push(
    'Targets\n' +
      textTable(
        ['', 'target', 'measured', 'result'],
        results.targets.map((target) => [
          target.name,
          target.target,
          target.measured,
          target.met === undefined ? 'not measured' : target.met ? 'met' : 'MISSED',
        ]),
      ),
  );
  return `${sections.join('\n\n')}\n`;
}
