// The steady-state scenario: an account whose keys are rotated, warned, deactivated and deleted as in
// real life, run night after night with the function's default settings, so that a night's cost is what a
// user's account costs.
import { RECORD_TAG_PREFIXES } from '../../shared/key-enforcement/index.ts';
import type { EmulatorControl, SeedUserInput } from '../emulator/index.ts';
import { IAM_USER_LIMIT } from './bench-account.ts';
import { BenchRunError } from './errors.ts';
import { measureRun, type RunMeasurement } from './measure-in-child.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Keys are created evenly over this many days before the first night: none past the 90-day limit. */
const KEY_AGES_SPREAD_DAYS = 90;
const SEED_BATCH = 250;
/** An owner warned with this many days left or fewer may rotate the key (half of them do). */
const ROTATE_WITHIN_DAYS = 7;
// The golden ratio's fraction spreads key ages over the users without tying them to the user's position.
const SPREAD = 0.618_033_988_749_895;

export const STEADY_SENDER = 'key-hygiene@example.com';

/**
 * The settings of every night: the function's defaults (first notices, 50 deactivations and 20 deletions a
 * night at most), with mail on, so owners are told and their notices recorded. Sends are not paced (the
 * emulator has no SES sending rate): pacing changes the wall time, never the requests.
 */
export const STEADY_STATE_ENVIRONMENT = {
  SENDER_EMAIL: STEADY_SENDER,
  SECURITY_TEAM_EMAILS: 'security-team@example.com',
  EMAIL_DOMAIN: 'example.com',
  MAIL_MAX_PER_SECOND: '1000',
} as const;

export interface SteadyStateOptions {
  users: number;
  nights: number;
  /** The clock the account is seeded against: the first night runs moments after it. */
  now: Date;
}

/**
 * The account: users `steady-00001`…; by position one user in ten console-only (a password, no key), one
 * in ten with a second, younger key (half the first one's age), the rest one key; first keys created
 * evenly over the last 90 days (by a low-discrepancy sequence, independent of the user's position), all
 * active, last used 6 hours ago. No record: the service has never run, so the first night is a backlog.
 */
export function steadyStateAccount(options: Pick<SteadyStateOptions, 'users' | 'now'>): SeedUserInput[] {
  const { users: size, now } = options;
  if (!Number.isInteger(size) || size < 1 || size > IAM_USER_LIMIT) {
    throw new RangeError(`users must be a whole number from 1 to ${IAM_USER_LIMIT} (got ${size})`);
  }
  const daysAgo = (days: number) => new Date(Math.floor((now.getTime() - days * DAY_MS) / 1000) * 1000);
  const lastUsed = { date: daysAgo(0.25), service: 'sts', region: 'us-east-1' };
  return Array.from({ length: size }, (_, index) => {
    const userName = steadyUserName(index);
    if (index % 10 === 5) return { userName, console: true };
    const ageDays = 0.5 + (KEY_AGES_SPREAD_DAYS - 1) * ((index * SPREAD) % 1);
    const keys = [{ createDate: daysAgo(ageDays), lastUsed }];
    if (index % 10 === 9) keys.push({ createDate: daysAgo(ageDays / 2), lastUsed });
    return { userName, keys };
  });
}

function steadyUserName(index: number): string {
  return `steady-${String(index + 1).padStart(5, '0')}`;
}

/** Half the warned owners rotate: those at an even position, a choice that does not depend on the key. */
export function rotates(userName: string): boolean {
  const position = Number(/(\d+)$/.exec(userName)?.[1] ?? '1') - 1;
  return position % 2 === 0;
}

/** One night: the handler's requests and the two references it is compared with. */
export interface SteadyNight {
  night: number;
  /** IAM requests the handler made (EventBridge and SES excluded). */
  handlerIam: number;
  /** The naive scan on the same account: ListUsers + ListAccessKeys per user + GetAccessKeyLastUsed per key + the same changes. */
  naiveIam: number;
  /** The report's requests, plus per user changed or told: one live key read, its changes, one record write. */
  floorIam: number;
  requestsByAction: Record<string, number>;
  usersInReport: number;
  keys: number;
  changes: number;
  deactivated: number;
  deleted: number;
  usersTold: number;
  lookedAtLive: number;
  fromRecords: number;
  rotated: number;
  wallMs: number;
}

export interface SteadyStateResult {
  options: { users: number; nights: number };
  nights: SteadyNight[];
}

/**
 * Seeds the account, then runs the real handler night after night in fresh processes: after each night
 * the owners warned with 7 days or fewer left rotate (half of them: a new key, the old one deleted), and
 * every date of the account moves a day back. Each night's requests are counted at the emulator.
 * @throws {BenchRunError} when a night fails, trips the guard or reports failures.
 */
export async function runSteadyState(
  emulator: { endpoint: string; control: EmulatorControl },
  options: SteadyStateOptions,
  log: (line: string) => void = () => {},
): Promise<SteadyStateResult> {
  const { control } = emulator;
  await control.reset();
  const account = steadyStateAccount(options);
  for (let start = 0; start < account.length; start += SEED_BATCH) {
    await control.seedUsers(account.slice(start, start + SEED_BATCH));
  }
  await verifySender(emulator.endpoint);
  const nights: SteadyNight[] = [];
  for (let night = 1; night <= options.nights; night += 1) {
    const run = await measureRun('handler', {
      endpoint: emulator.endpoint,
      control,
      now: options.now,
      settings: STEADY_STATE_ENVIRONMENT,
    });
    const measured = nightFigures(night, run);
    const problems = nightProblems(run);
    if (problems.length > 0) {
      throw new BenchRunError(
        `Night ${night} of the steady state did not do the job: ${problems.join('; ')}`,
      );
    }
    let rotated = 0;
    if (run.outcome.kind === 'handler') {
      for (const { userName, accessKeyId, daysLeft } of run.outcome.warned) {
        if (daysLeft > ROTATE_WITHIN_DAYS || !rotates(userName)) continue;
        await control.replaceAccessKey(userName, accessKeyId);
        rotated += 1;
      }
    }
    nights.push({ ...measured, rotated });
    log(
      `  night ${String(night).padStart(2)}: ${measured.handlerIam} IAM requests (naive ${measured.naiveIam}, ` +
        `floor ${measured.floorIam}); ${measured.deactivated} deactivated, ${measured.deleted} deleted, ` +
        `${measured.usersTold} owners told, ${rotated} rotated`,
    );
    await control.shiftTime(1, RECORD_TAG_PREFIXES);
  }
  return { options: { users: options.users, nights: options.nights }, nights };
}

/** A night's figures from its measured run. */
export function nightFigures(night: number, run: RunMeasurement): Omit<SteadyNight, 'rotated'> {
  if (run.outcome.kind !== 'handler') throw new BenchRunError('a steady-state night runs the handler');
  const outcome = run.outcome;
  const iam = run.requests.filter((entry) => entry.service === 'iam');
  const count = (action: string) =>
    iam.filter((entry) => entry.action === action).reduce((total, entry) => total + entry.count, 0);
  const reportRequests = count('GenerateCredentialReport') + count('GetCredentialReport');
  const changesOf = new Map<string, number>();
  for (const change of outcome.changed)
    changesOf.set(change.userName, (changesOf.get(change.userName) ?? 0) + 1);
  const touched = new Set([...changesOf.keys(), ...outcome.told.map((owner) => owner.userName)]);
  const floor =
    reportRequests + [...touched].reduce((total, user) => total + 2 + (changesOf.get(user) ?? 0), 0);
  return {
    night,
    handlerIam: iam.reduce((total, entry) => total + entry.count, 0),
    naiveIam: 1 + outcome.usersInReport + outcome.keysInAccount + outcome.changed.length,
    floorIam: floor,
    requestsByAction: Object.fromEntries(iam.map((entry) => [entry.action, entry.count])),
    usersInReport: outcome.usersInReport,
    keys: outcome.keysInAccount,
    changes: outcome.changed.length,
    deactivated: outcome.changed.filter((change) => change.decision === 'deactivate').length,
    deleted: outcome.changed.filter((change) => change.decision === 'delete').length,
    usersTold: outcome.told.length,
    lookedAtLive: outcome.lookedAtLive,
    fromRecords: outcome.fromRecords,
    wallMs: run.wallMs,
  };
}

function nightProblems(run: RunMeasurement): string[] {
  const problems: string[] = [];
  if (run.failedRequests > 0) problems.push(`${run.failedRequests} requests answered with an error`);
  if (run.outcome.kind === 'handler') {
    if (run.outcome.failures > 0) problems.push(`${run.outcome.failures} failures`);
    if (run.outcome.guardTripped) problems.push('the guard tripped');
  }
  return problems;
}

/** Verifies the sender in the emulated SES, as a deployment does once; not counted (counts are cleared per night). */
async function verifySender(endpoint: string): Promise<void> {
  const { CreateEmailIdentityCommand, SESv2Client } = await import('@aws-sdk/client-sesv2');
  const ses = new SESv2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: STEADY_SENDER }));
}

/** Mean, least and most of a figure over nights. */
export function spread(values: number[]): { mean: number; min: number; max: number } {
  if (values.length === 0) return { mean: 0, min: 0, max: 0 };
  return {
    mean: values.reduce((total, value) => total + value, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}
