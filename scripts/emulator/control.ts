// The emulator's control API (the harness's /_harness/ routes and moto's /moto-api/): its types and an HTTP
// client for it.
import { EmulatorControlError, EmulatorError } from './errors.ts';

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
  /** A console password (a login profile): the report shows `password_enabled` true. */
  console?: boolean;
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
  seedUsers(users: SeedUserInput[], options?: { accountId?: string }): Promise<SeededUser[]>;
  /** The AWS API requests served since the last `clearServedRequests` or `reset`, by service and action. */
  servedRequests(): Promise<ServedRequests[]>;
  /** Starts counting served requests afresh. */
  clearServedRequests(): Promise<void>;
  /**
   * Moves every date of the account `days` whole days back, as if they had passed: users' and keys'
   * creation, last use, password use, and the timestamps inside tags whose keys start with one of
   * `recordTagPrefixes` (the service's records).
   */
  shiftTime(
    days: number,
    recordTagPrefixes: readonly string[],
  ): Promise<{ users: number; tagsMoved: number }>;
  /** An owner's rotation: deletes the key, creates a new active one dated now (to the second); its id. */
  replaceAccessKey(userName: string, accessKeyId: string): Promise<string>;
  /**
   * Forwards every Lambda Invoke (Step Functions' Lambda tasks included) to a callback server at `url`, or
   * with `null` stops; see scripts/emulator/lambda-bridge.ts, which serves the callbacks.
   */
  setLambdaBridge(url: string | null): Promise<void>;
}

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
    async backdateLoginProfile({ userName, passwordSetAt, lastUsed }) {
      await request('POST', '/_harness/backdate-login-profile', {
        userName,
        passwordSetAt: passwordSetAt.toISOString(),
        lastUsed: lastUsed === undefined ? null : lastUsed.toISOString(),
      });
    },
    async backdateAccessKey({ userName, accessKeyId, createDate, lastUsed }) {
      await request('POST', '/_harness/backdate-access-key', {
        userName,
        accessKeyId,
        createDate: createDate.toISOString(),
        lastUsed: lastUsed === undefined ? null : { ...lastUsed, date: lastUsed.date.toISOString() },
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
    async seedUsers(users, options = {}) {
      const body = {
        // Another account of an emulated organization; default: the caller's.
        ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
        users: users.map(({ userName, tags, console, keys }) => ({
          userName,
          tags: tags ?? {},
          console: console ?? false,
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
    async shiftTime(days, recordTagPrefixes) {
      return (await request('POST', '/_harness/shift-time', { days, recordTagPrefixes })) as {
        users: number;
        tagsMoved: number;
      };
    },
    async replaceAccessKey(userName, accessKeyId) {
      const result = await request('POST', '/_harness/replace-access-key', { userName, accessKeyId });
      if (!isRecord(result) || typeof result.accessKeyId !== 'string') {
        throw new EmulatorError(`The emulator answered an unexpected ${JSON.stringify(result)}`);
      }
      return result.accessKeyId;
    },
    async setLambdaBridge(url) {
      await request('POST', '/_harness/lambda-bridge', { url });
    },
  };
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
