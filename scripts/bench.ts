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
import { formatBenchReport, textTable } from './bench/bench-report.ts';
import { formatOrgBenchReport, type OrgBenchOptions, runOrgBench } from './bench/org-bench.ts';
import { type BenchOptions, runBench } from './bench/run-bench.ts';
import { startEmulator } from './emulator/index.ts';

const USAGE = `Usage: npm run bench [-- options]

  --sizes <n,n,...>     account sizes in users, 1 to ${IAM_USER_LIMIT} (default 100,1000,5000)
  --due <percent>       share of users with a due key in the comparison (default 1)
  --iterations <n>      timed parse + plan iterations (default 50)
  --cold-starts <n>     fresh processes loading each bundle (default 10)
  --skip-package        skip serverless package and the cold starts
  --org-accounts <n>    accounts of the emulated organization (default 50)
  --org-users <n>       users per account of the organization (default 200; --due applies)
  --skip-org            skip the organization night
  --org-only            run the organization night alone
  --out <file>          raw results as JSON (default out/bench.json)
  --help                show this help

A quick run: npm run bench -- --sizes 100,1000 --skip-package --skip-org
The organization alone: npm run bench -- --org-only`;

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
  'org-accounts': { type: 'string', default: '50' },
  'org-users': { type: 'string', default: '200' },
  'skip-org': { type: 'boolean', default: false },
  'org-only': { type: 'boolean', default: false },
  out: { type: 'string', default: 'out/bench.json' },
  help: { type: 'boolean', default: false },
} as const;

type CliOptions = BenchOptions & { out: string; organization: OrgBenchOptions | undefined; orgOnly: boolean };

function parseOptions(argv: string[]): CliOptions | 'help' {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (error: unknown) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  if (values['org-only'] && values['skip-org'])
    throw new UsageError('--org-only and --skip-org exclude each other');
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
    organization: values['skip-org']
      ? undefined
      : {
          accounts: wholeNumber('org-accounts', values['org-accounts'], 1, 1_000),
          usersPerAccount: wholeNumber('org-users', values['org-users'], 1, IAM_USER_LIMIT),
          duePercent: due,
          // The default ORG_MAX_CONCURRENCY, then one account at a time.
          concurrencies: [10, 1],
          digestAccounts: 1_000,
        },
    orgOnly: values['org-only'],
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
    const { out, organization: orgOptions, orgOnly, ...benchOptions } = options;
    const results = orgOnly ? undefined : await runBench(emulator, benchOptions, log);
    // Last: it imports the organization handlers with its own settings in this process's environment.
    let organization: Awaited<ReturnType<typeof runOrgBench>> | undefined;
    if (orgOptions !== undefined) {
      log('\nOrganization night (the shipped state machine, real handlers):');
      const now = new Date(Math.floor(Date.now() / 1000) * 1000);
      organization = await runOrgBench(emulator, orgOptions, now, log);
    }
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify({ ...results, organization }, null, 2)}\n`);
    const report = [
      results === undefined ? '' : formatBenchReport(results),
      organization === undefined ? '' : formatOrgBenchReport(organization, textTable),
    ].filter(Boolean);
    process.stdout.write(`\n${report.join('\n')}\nRaw results: ${out}\n`);
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
