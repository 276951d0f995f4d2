import type { EmulatorControl, SeededUser, SeedUserInput } from '../emulator/index.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Older than the default 90-day limit: planned for deactivation. */
const DUE_KEY_AGE_DAYS = 120;
/** Fresh keys are 1 to 70 days old: outside the default 14-day warning window of the 90-day limit. */
const FRESH_KEY_MAX_AGE_DAYS = 70;
const SEED_BATCH = 250;

/** The largest account IAM allows: 5,000 users per account. */
export const IAM_USER_LIMIT = 5_000;

/**
 * The settings the bench runs with, over the defaults: every due key is deactivated tonight, as the bench
 * measures what acting on them costs. With the defaults, never-warned keys get a first notice and a date
 * (KEY_FIRST_NOTICE_DAYS), and at most 50 are deactivated a night.
 */
export const BENCH_ENVIRONMENT = {
  KEY_FIRST_NOTICE_DAYS: '0',
  MAX_DEACTIVATIONS_PER_NIGHT: String(IAM_USER_LIMIT),
  MAX_DELETIONS_PER_NIGHT: String(IAM_USER_LIMIT),
} as const;

export interface BenchAccountOptions {
  users: number;
  /** Share of users, in percent, whose (first) key is past the 90-day limit. */
  duePercent: number;
  now: Date;
}

/**
 * A synthetic account, deterministic for its options. Users are `bench-00001`, ...; by position: one user in
 * ten has no key (a console-only user), one in ten has two (a rotation in progress), the rest one; `due`
 * users, spread evenly, have a 120-day-old active key; every other key is 1 to 70 days old, so no key is in
 * the warning window and every key is active. Keys were last used 6 hours ago.
 */
export interface BenchAccount {
  options: BenchAccountOptions;
  users: SeedUserInput[];
  /** Access keys in the account. */
  keys: number;
  /** Keys the run should deactivate. */
  dueKeys: number;
}

/**
 * Builds the synthetic account of `options` (see `BenchAccount`).
 * @throws {RangeError} when the size is not 1 to 5,000 users or the share not 0 to 100 percent.
 */
export function benchAccount(options: BenchAccountOptions): BenchAccount {
  const { users: size, duePercent, now } = options;
  if (!Number.isInteger(size) || size < 1 || size > IAM_USER_LIMIT) {
    throw new RangeError(`users must be a whole number from 1 to ${IAM_USER_LIMIT} (got ${size})`);
  }
  if (!(duePercent >= 0 && duePercent <= 100)) {
    throw new RangeError(`duePercent must be from 0 to 100 (got ${duePercent})`);
  }
  const due = Math.round((size * duePercent) / 100);
  // Whole seconds, as IAM stores key times.
  const daysAgo = (days: number) => new Date(Math.floor((now.getTime() - days * DAY_MS) / 1000) * 1000);
  const lastUsed = { date: daysAgo(0.25), service: 'sts', region: 'us-east-1' };

  const users: SeedUserInput[] = [];
  let keys = 0;
  for (let index = 0; index < size; index += 1) {
    // Spread the due users evenly: user `index` is due when it crosses the next multiple of size/due.
    const isDue = Math.floor(((index + 1) * due) / size) > Math.floor((index * due) / size);
    const firstAgeDays = isDue ? DUE_KEY_AGE_DAYS : 1 + ((index * 7) % FRESH_KEY_MAX_AGE_DAYS);
    const keyCount = index % 10 === 5 && !isDue ? 0 : index % 10 === 9 ? 2 : 1;
    const userKeys = [
      { createDate: daysAgo(firstAgeDays), lastUsed },
      // The second key is younger than the first, as after a rotation.
      { createDate: daysAgo(firstAgeDays / 2), lastUsed },
    ].slice(0, keyCount);
    keys += userKeys.length;
    users.push({ userName: `bench-${String(index + 1).padStart(5, '0')}`, keys: userKeys });
  }
  return { options, users, keys, dueKeys: due };
}

/**
 * Creates the account's users and keys on the emulator's IAM backend, in batches, reporting progress after
 * each batch. Seeding is not what the bench measures; the measured runs go through the API.
 * @throws {EmulatorControlError} when the emulator refuses a batch (e.g. a user already exists).
 */
export async function seedBenchAccount(
  control: EmulatorControl,
  account: BenchAccount,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<SeededUser[]> {
  const seeded: SeededUser[] = [];
  onProgress(0, account.users.length);
  for (let start = 0; start < account.users.length; start += SEED_BATCH) {
    seeded.push(...(await control.seedUsers(account.users.slice(start, start + SEED_BATCH))));
    onProgress(seeded.length, account.users.length);
  }
  return seeded;
}
