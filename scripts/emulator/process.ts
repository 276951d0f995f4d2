import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type EmulatorControl, emulatorControl } from './control.ts';
import { EmulatorError } from './errors.ts';
import { ensureMoto, PYTHON } from './install.ts';

const HARNESS_PATH = fileURLToPath(new URL('./moto-harness.py', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_TAIL_CHARS = 4_000;

export interface Emulator {
  endpoint: string;
  control: EmulatorControl;
  stop(): Promise<void>;
}

type Log = (line: string) => void;
type HarnessProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * Starts the local AWS emulator (moto in-process, with control routes) on a free port of 127.0.0.1.
 * The emulator stops with `stop()`, or by itself when this process exits.
 * @throws EmulatorError when moto is unavailable or the emulator does not come up within 30 seconds.
 */
export async function startEmulator(options: { log?: Log } = {}): Promise<Emulator> {
  const log = options.log ?? console.error;
  await ensureMoto(log);

  const child = spawn(PYTHON, [HARNESS_PATH], { stdio: ['pipe', 'pipe', 'pipe'] });
  // Belt and braces: the harness also stops when its stdin closes, which covers a parent killed outright.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );

  let stderrTail = '';
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail = `${stderrTail}${line}\n`.slice(-STDERR_TAIL_CHARS);
    log(`[moto] ${line}`);
  });

  let endpoint: string;
  try {
    endpoint = await readEndpoint(child, () => stderrTail);
  } catch (error: unknown) {
    await stopChild(child, exited);
    throw error;
  }
  return {
    endpoint,
    control: emulatorControl(endpoint),
    stop: () => stopChild(child, exited),
  };
}

/** The endpoint from the harness's first line of output, `{"endpoint": "http://127.0.0.1:<port>"}`. */
function readEndpoint(child: HarnessProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      lines.close();
      child.stdout.resume();
    };
    const fail = (message: string, cause?: unknown) => {
      if (settled) return;
      settle();
      const detail = stderr().trim();
      reject(new EmulatorError(detail ? `${message}\n${detail}` : message, { cause }));
    };
    const timer = setTimeout(
      () => fail(`The emulator did not report ready within ${START_TIMEOUT_MS / 1000} s.`),
      START_TIMEOUT_MS,
    );
    child.once('error', (error) => fail(`Could not run ${PYTHON} ${HARNESS_PATH}.`, error));
    // 'close' rather than 'exit': it waits for stderr to drain, so the message carries the traceback.
    child.once('close', (code, signal) =>
      fail(`The emulator exited before it was ready (${signal ?? `exit code ${code}`}).`),
    );
    lines.once('line', (line) => {
      const endpoint = endpointOf(line);
      if (endpoint !== undefined && !settled) {
        settle();
        resolve(endpoint);
      } else {
        fail(`The emulator printed an unexpected first line: ${line}`);
      }
    });
  });
}

function endpointOf(line: string): string | undefined {
  try {
    const ready: unknown = JSON.parse(line);
    if (typeof ready === 'object' && ready !== null && 'endpoint' in ready) {
      return typeof ready.endpoint === 'string' ? ready.endpoint : undefined;
    }
  } catch {
    // Not JSON: the caller reports the line.
  }
  return undefined;
}

async function stopChild(child: HarnessProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined) return; // never started
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  if ((await Promise.race([exited, timedOut])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}
