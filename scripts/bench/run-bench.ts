import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKeyEnforcementConfig } from '../../shared/key-enforcement/index.ts';
import type { EmulatorControl } from '../emulator/index.ts';
import {
  BENCH_ENVIRONMENT,
  type BenchAccount,
  benchAccount,
  IAM_USER_LIMIT,
  seedBenchAccount,
} from './bench-account.ts';
import { type ColdStart, type FunctionBundle, measureColdStarts, packageFunctions } from './bundle-timing.ts';
import { BenchRunError } from './errors.ts';
import { describeMachine, type MachineInfo } from './machine.ts';
import { measureRun, type RunKind, type RunMeasurement } from './measure-in-child.ts';
import { type ParsePlanTiming, timeParseAndPlan } from './parse-plan-timing.ts';
import { progressBar } from './progress-bar.ts';

/** The share of due keys the scaling runs add at the largest size, to show requests follow due keys. */
const HIGH_DUE_PERCENT = 5;
/** The bench's targets (issue #8). */
export const TARGETS = {
  fewerRequestsTimes: 50,
  handlerWallMs: 10_000,
  parsePlanMs: 50,
  atUsers: IAM_USER_LIMIT,
} as const;

export interface BenchOptions {
  /** Account sizes, in users. */
  sizes: number[];
  /** Share of users with a due key in the main comparison, in percent. */
  duePercent: number;
  /** Timed iterations of parse + plan (after 5 warm-up ones). */
  iterations: number;
  /** Fresh processes loading each bundle. */
  coldStarts: number;
  /** Skip `serverless package` and the cold starts. */
  skipPackage: boolean;
}

export interface AccountRun {
  users: number;
  keys: number;
  duePercent: number;
  dueKeys: number;
  runs: Partial<Record<RunKind, RunMeasurement>>;
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  /** `undefined`: not measured in this run (e.g. `--sizes` left out 5,000). */
  met: boolean | undefined;
}

export interface BenchResults {
  startedAt: string;
  /** The decision clock of every run; the accounts are seeded relative to it. */
  now: string;
  durationMs: number;
  machine: MachineInfo;
  /**
   * The 1-, 5- and 15-minute load averages when the bench started and ended: other work on the machine
   * slows every figure, the CPU timings most.
   */
  loadAverage: { atStart: number[]; atEnd: number[] };
  options: BenchOptions;
  /** The handler against the naive scan, on the same account, at `duePercent`. */
  comparison: AccountRun[];
  /** The handler alone: no key due at every size, and 5 % due at the largest. */
  scaling: AccountRun[];
  parsePlan: ParsePlanTiming;
  bundles: (FunctionBundle & { coldStart: ColdStart })[] | { skipped: string };
  targets: Target[];
}

export interface BenchEmulator {
  endpoint: string;
  control: EmulatorControl;
}

type Log = (line: string) => void;

export interface MeasureAccountReporting {
  /** One line per run. */
  log?: Log;
  /** Draw a progress bar on stderr while seeding. */
  showProgress?: boolean;
}

/**
 * Seeds the account afresh before each kind of run (a run deactivates the due keys), runs each kind once in
 * a fresh process, and checks that it did the job, so that no figure comes from a broken run.
 * @throws {BenchRunError} when a run fails or does not deactivate exactly the due keys.
 */
export async function measureAccount(
  emulator: BenchEmulator,
  account: BenchAccount,
  kinds: RunKind[],
  { log = () => {}, showProgress = false }: MeasureAccountReporting = {},
): Promise<AccountRun> {
  const { users, duePercent } = account.options;
  const runs: AccountRun['runs'] = {};
  for (const kind of kinds) {
    await emulator.control.reset();
    await seedBenchAccount(
      emulator.control,
      account,
      showProgress
        ? progressBar(`seeding ${users} users (${account.keys} keys, ${account.dueKeys} due)`)
        : undefined,
    );
    const measurement = await measureRun(kind, {
      endpoint: emulator.endpoint,
      control: emulator.control,
      now: account.options.now,
    });
    const problems = checkRun(measurement, account);
    if (problems.length > 0) {
      throw new BenchRunError(`The ${kind} run on ${users} users did not do the job: ${problems.join('; ')}`);
    }
    log(
      `  ${kind.padEnd(7)} ${users} users, ${duePercent}% due: ${measurement.totalRequests} requests, ` +
        `${(measurement.wallMs / 1000).toFixed(2)} s`,
    );
    runs[kind] = measurement;
  }
  return { users, keys: account.keys, duePercent, dueKeys: account.dueKeys, runs };
}

/** Why a run's figures cannot be trusted: it did not find and deactivate exactly the account's due keys. */
export function checkRun(run: RunMeasurement, account: BenchAccount): string[] {
  const problems: string[] = [];
  const expect = (what: string, actual: number | boolean, expected: number | boolean) => {
    if (actual !== expected) problems.push(`${what} is ${actual}, expected ${expected}`);
  };
  expect('requests answered with an error', run.failedRequests, 0);
  const { outcome } = run;
  if (outcome.kind === 'handler') {
    expect('users in the report', outcome.usersInReport, account.users.length);
    expect('keys deactivated', outcome.done, account.dueKeys);
    expect('deactivate decisions', outcome.deactivated, account.dueKeys);
    expect('failures', outcome.failures, 0);
    expect('guard tripped', outcome.guardTripped, false);
  } else if (outcome.kind === 'naive') {
    expect('users listed', outcome.users, account.users.length);
    expect('keys listed', outcome.keys, account.keys);
    expect('keys deactivated', outcome.deactivated, account.dueKeys);
  } else {
    problems.push(`a ${outcome.kind} run is not an account run`);
  }
  return problems;
}

/** The whole bench: request counts, times and memory per account, parse + plan, bundles, cold starts. */
export async function runBench(
  emulator: BenchEmulator,
  options: BenchOptions,
  log: Log,
): Promise<BenchResults> {
  const started = performance.now();
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const now = new Date(Math.floor(startedAt.getTime() / 1000) * 1000);
  const machine = await describeMachine();
  log(
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGib} GiB, Node ${machine.node}, ` +
      `Python ${machine.python}, moto ${machine.moto}`,
  );
  const reporting = { log, showProgress: true };
  const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
  const largest = sizes[sizes.length - 1] ?? IAM_USER_LIMIT;

  log(`\nHandler against the naive scan, ${options.duePercent}% of users with a due key:`);
  const comparison: AccountRun[] = [];
  for (const users of sizes) {
    const account = benchAccount({ users, duePercent: options.duePercent, now });
    comparison.push(await measureAccount(emulator, account, ['naive', 'handler'], reporting));
  }

  log('\nScaling: the handler with no key due at every size, and 5% due at the largest:');
  const scaling: AccountRun[] = [];
  const scalingAccounts = [
    ...sizes.map((users) => ({ users, duePercent: 0 })),
    { users: largest, duePercent: HIGH_DUE_PERCENT },
  ].filter(({ duePercent }) => duePercent !== options.duePercent);
  for (const { users, duePercent } of scalingAccounts) {
    const account = benchAccount({ users, duePercent, now });
    scaling.push(await measureAccount(emulator, account, ['handler'], reporting));
  }

  log(`\nParse + plan of a ${IAM_USER_LIMIT}-user credential report, ${options.iterations} iterations...`);
  const reportAccount = benchAccount({ users: IAM_USER_LIMIT, duePercent: options.duePercent, now });
  const benchConfig = loadKeyEnforcementConfig(BENCH_ENVIRONMENT);
  const parsePlan = timeParseAndPlan(
    reportAccount,
    benchConfig.keyPolicy,
    benchConfig.limits,
    options.iterations,
  );

  let bundles: BenchResults['bundles'];
  if (options.skipPackage) {
    bundles = { skipped: '--skip-package' };
  } else {
    log('\nPackaging with serverless (scripts/check-package.sh) and timing cold starts...');
    const workDir = await mkdtemp(join(tmpdir(), 'key-hygiene-bench-'));
    try {
      bundles = [];
      for (const bundle of await packageFunctions(workDir)) {
        bundles.push({ ...bundle, coldStart: await measureColdStarts(bundle.entry, options.coldStarts) });
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  return {
    startedAt: startedAt.toISOString(),
    now: now.toISOString(),
    durationMs: performance.now() - started,
    machine,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
    options,
    comparison,
    scaling,
    parsePlan,
    bundles,
    targets: evaluateTargets(comparison, scaling, parsePlan),
  };
}

/** The targets against what was measured; a target whose size was not run is left undecided. */
export function evaluateTargets(
  comparison: AccountRun[],
  scaling: AccountRun[],
  parsePlan: ParsePlanTiming,
): Target[] {
  const atLimit = comparison.find((account) => account.users === TARGETS.atUsers);
  const naive = atLimit?.runs.naive;
  const handler = atLimit?.runs.handler;
  const ratio = naive && handler ? naive.totalRequests / handler.totalRequests : undefined;
  const noneDue = [...comparison, ...scaling].filter(
    (account) => account.dueKeys === 0 && account.runs.handler,
  );
  const idleCounts = new Set(noneDue.map((account) => account.runs.handler?.totalRequests));
  const perDueKey = [...comparison, ...scaling]
    .filter((account) => account.dueKeys > 0 && account.runs.handler)
    .map((account) => {
      const idle = noneDue.find((candidate) => candidate.users === account.users)?.runs.handler;
      return idle && account.runs.handler
        ? (account.runs.handler.totalRequests - idle.totalRequests) / account.dueKeys
        : undefined;
    })
    .filter((value) => value !== undefined);
  return [
    {
      name: `requests at ${TARGETS.atUsers} users`,
      target: `at least ${TARGETS.fewerRequestsTimes}x fewer than the naive scan`,
      measured:
        ratio === undefined || !naive || !handler
          ? `not measured (add ${TARGETS.atUsers} to --sizes)`
          : `${ratio.toFixed(1)}x fewer (${handler.totalRequests} against ${naive.totalRequests})`,
      met: ratio === undefined ? undefined : ratio >= TARGETS.fewerRequestsTimes,
    },
    {
      name: `handler run at ${TARGETS.atUsers} users`,
      target: `under ${TARGETS.handlerWallMs / 1000} s on the emulator`,
      measured: handler
        ? `${(handler.wallMs / 1000).toFixed(2)} s (of which ${(handler.reportWaitMs / 1000).toFixed(1)} s waiting for the report)`
        : `not measured (add ${TARGETS.atUsers} to --sizes)`,
      met: handler ? handler.wallMs < TARGETS.handlerWallMs : undefined,
    },
    {
      name: `parse + plan of a ${parsePlan.users}-user report`,
      target: `under ${TARGETS.parsePlanMs} ms`,
      measured: `median ${parsePlan.totalMs.median.toFixed(1)} ms, p95 ${parsePlan.totalMs.p95.toFixed(1)} ms`,
      met: parsePlan.totalMs.p95 < TARGETS.parsePlanMs,
    },
    {
      name: 'requests with no key due',
      target: 'the same at every account size',
      measured:
        noneDue.length < 2
          ? 'needs two sizes or more'
          : `${[...idleCounts].join(', ')} requests at ${noneDue.map((account) => account.users).join(', ')} users`,
      met: noneDue.length < 2 ? undefined : idleCounts.size === 1,
    },
    {
      name: 'requests per due key',
      target: 'constant: requests grow with the keys due, not with the users',
      measured:
        perDueKey.length === 0
          ? 'not measured'
          : `${Math.min(...perDueKey).toFixed(2)} to ${Math.max(...perDueKey).toFixed(2)} requests per due key`,
      met: perDueKey.length === 0 ? undefined : Math.max(...perDueKey) - Math.min(...perDueKey) < 0.5,
    },
  ];
}
