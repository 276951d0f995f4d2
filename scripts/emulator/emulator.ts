import { type ChildProcessByStdio, execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const HARNESS_PATH = fileURLToPath(new URL('./moto-harness.py', import.meta.url));
const PYTHON = 'python3';
const MOTO_REQUIREMENT = 'moto[server]>=5.2,<6';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_TAIL_CHARS = 4_000;

/** The local AWS emulator (moto) failed to install, start, stop or answer. */
export class EmulatorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}

/** A control request to the running emulator was refused (unknown user or key, bad input, ...). */
export class EmulatorControlError extends EmulatorError {
  readonly status: number;

  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmulatorControlError';
    this.status = status;
  }
}

/** A message sent with SES SendEmail / SES v2 Simple content; moto keeps the HTML part when both exist. */
export interface SimpleSentEmail {
  kind: 'simple';
  id: string;
  source: string;
  destinations: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  subject: string;
  body: string;
}

/** A message sent with SES SendRawEmail / SES v2 Raw content: the whole MIME text. */
export interface RawSentEmail {
  kind: 'raw';
  id: string;
  source: string;
  /**
   * The request's To, Cc and Bcc addresses, flattened, followed by those moto parses from the MIME To, Cc
   * and Bcc headers (formatted `Name <address>` when named): an address in both appears twice.
   */
  destinations: string[];
  rawData: string;
}

export type SentEmail = SimpleSentEmail | RawSentEmail;

export interface BackdateAccessKeyInput {
  userName: string;
  accessKeyId: string;
  /** Stored to the second, as AWS reports it. */
  createDate: Date;
  /** Omit for a key that was never used. */
  lastUsed?: { date: Date; service?: string; region?: string };
}

export interface BackdateLoginProfileInput {
  userName: string;
  /** When the console password was set; the emulator moves the user's creation there too. */
  passwordSetAt: Date;
  /** The last console sign-in; omit for a password never used. */
  lastUsed?: Date;
}

/** A user to create directly on the emulator's IAM backend (see `EmulatorControl.seedUsers`). */
export interface SeedUserInput {
  userName: string;
  tags?: Record<string, string>;
  /** At most two, in creation order (the order of the credential report's key slots). */
  keys?: {
    status?: 'Active' | 'Inactive';
    /** Stored to the second, as AWS reports it. */
    createDate: Date;
    /** Omit for a key that was never used. */
    lastUsed?: { date: Date; service?: string; region?: string };
  }[];
}

export interface SeededUser {
  userName: string;
  /** The ids moto gave the user's keys, in the order they were asked for. */
  accessKeyIds: string[];
}

/** AWS API requests the emulator served for one service and action (control routes are not counted). */
export interface ServedRequests {
  /** From the request's SigV4 credential scope, e.g. `iam`, `events`. */
  service: string;
  /** e.g. `ListAccessKeys`, `PutEvents`. */
  action: string;
  count: number;
  /** Of `count`, those answered with an HTTP error status. */
  errors: number;
  /** Time spent inside moto answering them, in milliseconds. */
  totalMs: number;
}

export interface EmulatorControl {
  /** Empties every service of the emulator (moto's own reset), and its request counts. */
  reset(): Promise<void>;
  /** Makes an access key look created (and last used) at the given instants; throws EmulatorControlError. */
  backdateAccessKey(input: BackdateAccessKeyInput): Promise<void>;
  /** Makes a user's console password look set (and last used) at the given instants; throws EmulatorControlError. */
  backdateLoginProfile(input: BackdateLoginProfileInput): Promise<void>;
  /** Every email sent through SES since the last reset: simple messages first, then raw ones, each in send order. */
  sentEmails(): Promise<SentEmail[]>;
  /**
   * Makes an AWS managed policy (e.g. IAMUserChangePassword) exist, as it does in every real account; moto
   * has none by default. Returns its ARN; throws EmulatorControlError for a name moto does not know.
   */
  addAwsManagedPolicy(name: string): Promise<string>;
  /**
   * Creates users with tags and dated keys directly on the IAM backend, skipping the API: fast enough to seed
   * thousands of users. All or none: a batch with a bad or existing user throws EmulatorControlError and
   * creates nothing.
   */
  seedUsers(users: SeedUserInput[]): Promise<SeededUser[]>;
  /** The AWS API requests served since the last `clearRequests` or `reset`, by service and action. */
  servedRequests(): Promise<ServedRequests[]>;
  clearServedRequests(): Promise<void>;
}

export interface Emulator {
  endpoint: string;
  control: EmulatorControl;
  stop(): Promise<void>;
}

type Log = (line: string) => void;
type HarnessProcess = ChildProcessByStdio<Writable, Readable, Readable>;

interface MotoSesMessage {
  id: string;
  source: string;
  destinations: SimpleSentEmail['destinations'];
  subject: string;
  body: string;
}

interface MotoSesRawMessage {
  id: string;
  source: string;
  destinations: string[];
  raw_data: string;
}

/** The harness's `GET /_harness/sent-emails`: what moto's data.json lists under `ses`. */
interface MotoSentEmails {
  Message?: MotoSesMessage[];
  RawMessage?: MotoSesRawMessage[];
}

/**
 * The environment an AWS SDK client needs to talk to this emulator: AWS_ENDPOINT_URL, AWS_REGION=us-east-1,
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY=testing (dummy).
 */
export function emulatorEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
}

/** Control of an emulator already running at `endpoint` (see scripts/emulator/moto-harness.py). */
export function emulatorControl(endpoint: string): EmulatorControl {
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, endpoint), {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    } catch (error: unknown) {
      throw new EmulatorError(`The emulator at ${endpoint} did not answer ${method} ${path}`, {
        cause: error,
      });
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const reason = isRecord(parsed) && typeof parsed.error === 'string' ? parsed.error : text.slice(0, 500);
      throw new EmulatorControlError(
        `${method} ${path} failed with HTTP ${response.status}: ${reason}`,
        response.status,
      );
    }
    return parsed;
  };

  return {
    async reset() {
      await request('POST', '/moto-api/reset');
    },
    async backdateAccessKey({ userName, accessKeyId, createDate, lastUsed }) {
      await request('POST', '/_harness/backdate-access-key', {
        userName,
        accessKeyId,
        createDate: createDate.toISOString(),
        lastUsed: lastUsed === undefined ? null : { ...lastUsed, date: lastUsed.date.toISOString() },
      });
    },
    async backdateLoginProfile({ userName, passwordSetAt, lastUsed }) {
      await request('POST', '/_harness/backdate-login-profile', {
        userName,
        passwordSetAt: passwordSetAt.toISOString(),
        lastUsed: lastUsed === undefined ? null : lastUsed.toISOString(),
      });
    },
    async addAwsManagedPolicy(name) {
      const result = await request('POST', '/_harness/aws-managed-policy', { name });
      if (!isRecord(result) || typeof result.arn !== 'string') {
        throw new EmulatorError(`The emulator answered an unexpected ${JSON.stringify(result)}`);
      }
      return result.arn;
    },
    async sentEmails() {
      // Not moto's /moto-api/data.json, which fails once an IAM user has been deleted (see the harness).
      const data = (await request('GET', '/_harness/sent-emails')) as MotoSentEmails;
      const simple = (data.Message ?? []).map((message): SimpleSentEmail => ({ kind: 'simple', ...message }));
      const raw = (data.RawMessage ?? []).map(
        ({ raw_data, ...message }): RawSentEmail => ({ kind: 'raw', ...message, rawData: raw_data }),
      );
      return [...simple, ...raw];
    },
    async seedUsers(users) {
      const body = {
        users: users.map(({ userName, tags, keys }) => ({
          userName,
          tags: tags ?? {},
          keys: (keys ?? []).map(({ status, createDate, lastUsed }) => ({
            status: status ?? 'Active',
            createDate: createDate.toISOString(),
            lastUsed: lastUsed === undefined ? null : { ...lastUsed, date: lastUsed.date.toISOString() },
          })),
        })),
      };
      const seeded = (await request('POST', '/_harness/seed-users', body)) as { users: SeededUser[] };
      return seeded.users;
    },
    async servedRequests() {
      return ((await request('GET', '/_harness/requests')) as { requests: ServedRequests[] }).requests;
    },
    async clearServedRequests() {
      await request('POST', '/_harness/requests/clear', {});
    },
  };
}

let motoChecked: Promise<void> | undefined;

/**
 * Makes sure python3 and moto (with its server extra) are available, installing moto with pip when it is
 * missing. Checks once per process.
 * @throws EmulatorError when python3 is missing or moto cannot be installed.
 */
export function ensureMoto(log: Log = console.error): Promise<void> {
  motoChecked ??= checkAndInstallMoto(log).catch((error: unknown) => {
    motoChecked = undefined;
    throw error;
  });
  return motoChecked;
}

async function checkAndInstallMoto(log: Log): Promise<void> {
  if (await hasMoto()) return;
  log(`moto is not installed; installing it with: ${PYTHON} -m pip install "${MOTO_REQUIREMENT}"`);
  try {
    await run(PYTHON, ['-m', 'pip', 'install', MOTO_REQUIREMENT]);
  } catch (error: unknown) {
    throw new EmulatorError(
      `Installing moto failed. Install it yourself (a virtual environment avoids "externally managed" ` +
        `errors): ${PYTHON} -m pip install "${MOTO_REQUIREMENT}"\n${outputOf(error)}`,
      { cause: error },
    );
  }
  if (!(await hasMoto())) {
    throw new EmulatorError(
      `pip reported success, but ${PYTHON} still cannot import moto.server ${MOTO_REQUIREMENT}; ` +
        'check that pip installs into the same Python as python3.',
    );
  }
}

/** True when moto 5.2+ (below 6) with its server extra imports; throws when python3 itself is missing. */
async function hasMoto(): Promise<boolean> {
  const probe =
    'import moto, moto.server\n' +
    'major, minor = (int(part) for part in moto.__version__.split(".")[:2])\n' +
    'raise SystemExit(0 if (5, 2) <= (major, minor) < (6, 0) else 3)';
  try {
    await run(PYTHON, ['-c', probe]);
    return true;
  } catch (error: unknown) {
    if (isRecord(error) && error.code === 'ENOENT') {
      throw new EmulatorError(
        `${PYTHON} was not found on PATH. The local AWS emulator (moto) needs Python 3.9 or later.`,
        { cause: error },
      );
    }
    return false;
  }
}

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
      const ready = parseJson(line);
      if (isRecord(ready) && typeof ready.endpoint === 'string' && !settled) {
        settle();
        resolve(ready.endpoint);
      } else {
        fail(`The emulator printed an unexpected first line: ${line}`);
      }
    });
  });
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

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve();
    });
  });
}

function outputOf(error: unknown): string {
  if (!isRecord(error)) return String(error);
  return `${String(error.stderr ?? '')}${String(error.stdout ?? '')}`.trim().slice(-STDERR_TAIL_CHARS);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
