/**
 * `npm run bench [-- --sizes 100,1000]`: what a run costs at account scale, against the naive per-user scan.
 * Starts the emulator, seeds accounts of 100, 1,000 and 5,000 users, runs the real enforceKeys handler and a
 * naive scan on each in fresh processes, counting their AWS requests at the emulator; times parse + plan on
 * a 5,000-user report; packages the functions and times their cold start. Prints the tables and writes the
 * raw results as JSON (out/bench.json). See BENCHMARKS.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { IAM_USER_LIMIT } from './bench/bench-account.ts';
import { formatBenchReport } from './bench/bench-report.ts';
import { type BenchOptions, runBench } from './bench/run-bench.ts';
import { startEmulator } from './emulator/index.ts';

const USAGE = `Usage: npm run bench [-- options]

  --sizes <n,n,...>     account sizes in users, 1 to ${IAM_USER_LIMIT} (default 100,1000,5000)
  --due <percent>       share of users with a due key in the comparison (default 1)
  --iterations <n>      timed parse + plan iterations (default 50)
  --cold-starts <n>     fresh processes loading each bundle (default 10)
  --skip-package        skip serverless package and the cold starts
  --out <file>          raw results as JSON (default out/bench.json)
  --help                show this help

A quick run: npm run bench -- --sizes 100,1000 --skip-package`;

/** Thrown for a bad command-line option; the message names it. */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function wholeNumber(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new UsageError(
      `--${option} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`,
    );
  }
  return Number(text);
}

const OPTIONS = {
  sizes: { type: 'string', default: '100,1000,5000' },
  due: { type: 'string', default: '1' },
  iterations: { type: 'string', default: '50' },
  'cold-starts': { type: 'string', default: '10' },
  'skip-package': { type: 'boolean', default: false },
  out: { type: 'string', default: 'out/bench.json' },
  help: { type: 'boolean', default: false },
} as const;

function parseOptions(argv: string[]): (BenchOptions & { out: string }) | 'help' {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (error: unknown) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const due = Number(values.due);
  if (!/^\d+(\.\d+)?$/.test(values.due.trim()) || due > 100) {
    throw new UsageError(`--due must be a percentage from 0 to 100 (got ${JSON.stringify(values.due)})`);
  }
  return {
    sizes: values.sizes.split(',').map((size) => wholeNumber('sizes', size, 1, IAM_USER_LIMIT)),
    duePercent: due,
    iterations: wholeNumber('iterations', values.iterations, 1, 10_000),
    coldStarts: wholeNumber('cold-starts', values['cold-starts'], 1, 1_000),
    skipPackage: values['skip-package'],
    out: resolve(values.out),
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log('Starting the AWS emulator (moto)...');
  const emulator = await startEmulator({ log: (line) => log(`  ${line}`) });
  try {
    const { out, ...benchOptions } = options;
    const results = await runBench(emulator, benchOptions, log);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\n${formatBenchReport(results)}\nRaw results: ${out}\n`);
    return 0;
  } finally {
    await emulator.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
