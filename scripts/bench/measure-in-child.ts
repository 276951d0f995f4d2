// The parent's side of a measured run: starts child-run.ts in a fresh Node process, collects its report and the
// AWS requests the emulator served it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type EmulatorControl, emulatorEnvironment, type ServedRequests } from '../emulator/index.ts';
import { BENCH_ENVIRONMENT } from './bench-account.ts';
import { BenchRunError } from './errors.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./child-run.ts', import.meta.url));
const RUN_TIMEOUT_MS = 10 * 60_000;
const STDERR_TAIL_CHARS = 4_000;

/**
 * `handler`: the real enforceKeys handler. `naive`: the per-user baseline (naive-key-scan.ts).
 * `password-policy`: the real enforcePasswordPolicy handler. `org-digest`: the real orgDigest handler, on
 * the event in KEY_HYGIENE_BENCH_EVENT (the organization bench, org-bench.ts).
 */
export type RunKind = 'handler' | 'naive' | 'password-policy' | 'org-digest';

/** What the child process reports (child-run.ts). */
export interface ChildReport {
  /** From the invocation to its result; module loading excluded. */
  wallMs: number;
  memory: {
    /** After the modules were loaded, before the run. */
    rssBeforeMib: number;
    /** The process's peak resident set, module loading included (getrusage maxRSS). */
    peakRssMib: number;
    heapBeforeMib: number;
    /** The largest V8 heap in use, sampled every 10 ms during the run. */
    peakHeapMib: number;
  };
  outcome:
    | {
        kind: 'handler';
        usersInReport: number;
        usersReviewed: number;
        deactivated: number;
        done: number;
        failures: number;
        guardTripped: boolean;
      }
    | { kind: 'naive'; users: number; keys: number; deactivated: number }
    | { kind: 'password-policy'; outcome: string }
    | { kind: 'org-digest'; accounts: number; mail: string };
}

export interface RunMeasurement extends ChildReport {
  kind: RunKind;
  /** The AWS API requests the emulator served during the run, by service and action. */
  requests: ServedRequests[];
  totalRequests: number;
  /** Of them, answered with an HTTP error. */
  failedRequests: number;
  /** Time spent inside the emulator answering them. */
  emulatorMs: number;
  /** Time the handler slept waiting for the credential report, from its own log lines. */
  reportWaitMs: number;
}

export interface MeasureRunOptions {
  endpoint: string;
  control: EmulatorControl;
  /**
   * The clock the account was seeded against. The handler decides by the real clock (KEY_HYGIENE_NOW
   * steers dry runs only), minutes later at most: no bench key is within days of a deadline.
   */
  now: Date;
  /** More settings for the run, over the defaults (mail, the organization's). */
  extraEnv?: Record<string, string>;
}

/**
 * Runs the handler or the naive baseline once against the emulated account, in a fresh Node process, and
 * counts the AWS requests it made at the emulator. The account is changed by the run (due keys are
 * deactivated): seed it again before the next.
 * @throws {BenchRunError} when the child process fails, times out or reports nothing.
 */
export async function measureRun(kind: RunKind, options: MeasureRunOptions): Promise<RunMeasurement> {
  await options.control.clearServedRequests();
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind], {
    cwd: REPO_ROOT,
    env: runEnvironment(options),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });

  const { stdout, stderr } = child;
  if (stdout === null || stderr === null) throw new BenchRunError('The run was started without its pipes');
  let reportWaitMs = 0;
  createInterface({ input: stdout }).on('line', (line) => {
    reportWaitMs += credentialReportWait(line);
  });
  let stderrTail = '';
  stderr.on('data', (chunk: Buffer) => {
    stderrTail = `${stderrTail}${chunk.toString('utf8')}`.slice(-STDERR_TAIL_CHARS);
  });

  const report = await new Promise<ChildReport>((resolve, reject) => {
    let received: ChildReport | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('message', (message) => {
      received = message as ChildReport;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new BenchRunError(`Could not start the ${kind} run`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && received !== undefined) resolve(received);
      else
        reject(
          new BenchRunError(
            `The ${kind} run ended with ${signal ?? `exit code ${code}`} and no report\n${stderrTail.trim()}`,
          ),
        );
    });
  });

  const requests = await options.control.servedRequests();
  return {
    kind,
    ...report,
    requests,
    totalRequests: sum(requests.map((entry) => entry.count)),
    failedRequests: sum(requests.map((entry) => entry.errors)),
    emulatorMs: sum(requests.map((entry) => entry.totalMs)),
    reportWaitMs,
  };
}

/**
 * The child's whole environment: the emulator's AWS settings and the function's defaults, with only what
 * Node needs from ours, so a setting in the caller's shell (DRY_RUN, ...) cannot change what is measured.
 */
function runEnvironment({ endpoint, extraEnv = {} }: MeasureRunOptions): Record<string, string> {
  const inherited = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'].flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  return {
    ...inherited,
    ...emulatorEnvironment(endpoint),
    // Above any due count of the bench, no first notice: every due key is acted on in the measured run.
    ...BENCH_ENVIRONMENT,
    // As deployed: INFO logs, which the parent reads for the credential-report waits.
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extraEnv,
  };
}

/** The delay of a "Waiting for the credential report" log line of the handler, else 0. */
export function credentialReportWait(line: string): number {
  if (!line.includes('Waiting for the credential report')) return 0;
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry === 'object' && entry !== null && 'delayMs' in entry) {
      const delayMs = (entry as { delayMs: unknown }).delayMs;
      return typeof delayMs === 'number' ? delayMs : 0;
    }
  } catch {
    // Not a JSON log line: nothing to count.
  }
  return 0;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
