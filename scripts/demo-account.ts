import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  EntityAlreadyExistsException,
  type IAMClient,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  deactivatedTag,
  deactivatedValue,
  KEY_ENFORCEMENT_DEFAULTS,
  noticeTag,
} from '../shared/key-enforcement/index.ts';
import type { EmulatorControl } from './emulator/index.ts';

const EXEMPT_TAG = KEY_ENFORCEMENT_DEFAULTS.exemptTag;
export const EMAIL_TAG = 'email';

const DAY_MS = 24 * 60 * 60 * 1000;

export type DemoScenario =
  | 'fresh'
  | 'nearlyDue'
  | 'dueTomorrow'
  | 'overdue'
  | 'twoKeys'
  | 'exempt'
  | 'exemptionExpired'
  | 'exemptionFuture'
  | 'deactivatedByHand'
  | 'deactivatedGraceOver'
  | 'deactivatedInGrace'
  | 'consoleOnly'
  | 'withEmail';

export interface DemoKey {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  /** As stored by the emulator: whole seconds. */
  createDate: Date;
  lastUsed: Date | undefined;
  /** What the service should do with this key, in words. */
  expected: string;
}

export interface DemoUser {
  userName: string;
  scenario: DemoScenario;
  /** What this user is in the demo to show. */
  shows: string;
  tags: Record<string, string>;
  /** In creation order, which is the order of the credential report's key slots. */
  keys: DemoKey[];
  hasPassword: boolean;
}

export interface DemoAccount {
  now: Date;
  users: Record<DemoScenario, DemoUser>;
}

/** A demo account could not be seeded. */
export class DemoAccountError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DemoAccountError';
  }
}

interface KeySpec {
  ageDays: number;
  lastUsedDaysAgo?: number;
  inactive?: { deactivatedByServiceDaysAgo?: number };
  /**
   * The notice record earlier nightly runs left (`warning-7`, `warning-1`): the demo account is one the
   * service has been looking after, so its overdue keys' owners were warned and they are deactivated. A key
   * without one would get a first notice instead (KEY_FIRST_NOTICE_DAYS).
   */
  warned?: string;
  expected: string;
}

interface UserSpec {
  userName: string;
  shows: string;
  tags?: Record<string, string>;
  keys: KeySpec[];
  password?: boolean;
}

function scenarios(now: Date): Record<DemoScenario, UserSpec> {
  return {
    fresh: {
      userName: 'alice.fresh',
      shows: 'a healthy key: nothing to do',
      keys: [{ ageDays: 10, lastUsedDaysAgo: 1, expected: 'none' }],
    },
    nearlyDue: {
      userName: 'nina.nearly-due',
      shows: 'a key 80 days old, within 14 days of the 90-day limit: the owner is warned',
      keys: [{ ageDays: 80, lastUsedDaysAgo: 2, expected: 'warn (due in 10 days)' }],
    },
    dueTomorrow: {
      userName: 'dan.due-tomorrow',
      shows: 'a key 89 days old, warned 14 and 7 days before: warned again, not yet deactivated',
      keys: [{ ageDays: 89, lastUsedDaysAgo: 1, warned: 'warning-7', expected: 'warn (due tomorrow)' }],
    },
    overdue: {
      userName: 'bob.overdue',
      shows: 'a key 120 days old, its owner warned before its deadline: deactivated',
      keys: [{ ageDays: 120, lastUsedDaysAgo: 3, warned: 'warning-1', expected: 'deactivate' }],
    },
    twoKeys: {
      userName: 'tara.two-keys',
      shows:
        'two keys, and only the old one is touched; the new key is created first, so the old one sits in ' +
        "the credential report's second slot",
      keys: [
        { ageDays: 5, lastUsedDaysAgo: 1, expected: 'none' },
        { ageDays: 200, lastUsedDaysAgo: 6, warned: 'warning-1', expected: 'deactivate' },
      ],
    },
    exempt: {
      userName: 'eve.exempt',
      shows: `a 300-day-old key kept because ${EXEMPT_TAG}=true`,
      tags: { [EXEMPT_TAG]: 'true' },
      keys: [{ ageDays: 300, lastUsedDaysAgo: 1, expected: 'exempt' }],
    },
    exemptionExpired: {
      userName: 'xena.exemption-expired',
      shows:
        'an exemption that ended 10 days ago, its owner warned before it was granted: its 150-day-old key is deactivated',
      tags: { [EXEMPT_TAG]: isoDay(daysBefore(now, 10)) },
      keys: [{ ageDays: 150, lastUsedDaysAgo: 4, warned: 'warning-1', expected: 'deactivate' }],
    },
    exemptionFuture: {
      userName: 'fred.exemption-future',
      shows: 'an exemption that runs 30 more days: its 100-day-old key is kept',
      tags: { [EXEMPT_TAG]: isoDay(daysAfter(now, 30)) },
      keys: [{ ageDays: 100, lastUsedDaysAgo: 2, expected: 'exempt' }],
    },
    deactivatedByHand: {
      userName: 'hank.deactivated-by-hand',
      shows:
        'a key someone deactivated by hand: no record, so the grace period starts when the service sees it',
      keys: [{ ageDays: 200, lastUsedDaysAgo: 150, inactive: {}, expected: 'record inactive-since, keep' }],
    },
    deactivatedGraceOver: {
      userName: 'ivan.deactivated-40d',
      shows: 'a key this service deactivated 40 days ago: past the 30-day grace period, deleted',
      keys: [
        {
          ageDays: 200,
          lastUsedDaysAgo: 100,
          inactive: { deactivatedByServiceDaysAgo: 40 },
          expected: 'delete',
        },
      ],
    },
    deactivatedInGrace: {
      userName: 'judy.deactivated-10d',
      shows: 'a key this service deactivated 10 days ago: still in its grace period, kept',
      keys: [
        {
          ageDays: 200,
          lastUsedDaysAgo: 20,
          inactive: { deactivatedByServiceDaysAgo: 10 },
          expected: 'none (in grace)',
        },
      ],
    },
    consoleOnly: {
      userName: 'cora.console-only',
      shows: 'a console user with a password and no access keys: nothing to do',
      keys: [],
      password: true,
    },
    withEmail: {
      userName: 'emma.with-email',
      shows: `an owner reachable by the ${EMAIL_TAG} tag: the notice of her deactivated key goes there`,
      tags: { [EMAIL_TAG]: 'emma@example.com' },
      keys: [{ ageDays: 95, lastUsedDaysAgo: 1, warned: 'warning-1', expected: 'deactivate' }],
    },
  };
}

/**
 * Seeds the emulator with a demo IAM account: a dozen users whose keys are backdated relative to `now`
 * to show each case the service handles (see `DemoUser.shows` and `DemoKey.expected`).
 *
 * Run it against a freshly reset emulator only: it creates users by name and does not clean up.
 * @throws DemoAccountError when a demo user already exists; SDK or EmulatorError errors otherwise.
 */
export async function seedDemoAccount(
  iam: IAMClient,
  control: EmulatorControl,
  now: Date,
): Promise<DemoAccount> {
  const specs = scenarios(now);
  const users: Partial<Record<DemoScenario, DemoUser>> = {};
  for (const scenario of Object.keys(specs) as DemoScenario[]) {
    users[scenario] = await seedUser(iam, control, now, scenario, specs[scenario]);
  }
  return { now, users: users as Record<DemoScenario, DemoUser> };
}

async function seedUser(
  iam: IAMClient,
  control: EmulatorControl,
  now: Date,
  scenario: DemoScenario,
  spec: UserSpec,
): Promise<DemoUser> {
  const { userName } = spec;
  const tags = { ...spec.tags };
  try {
    await iam.send(new CreateUserCommand({ UserName: userName, Tags: toTagList(tags) }));
  } catch (error: unknown) {
    if (error instanceof EntityAlreadyExistsException) {
      throw new DemoAccountError(
        `User ${userName} already exists: seed the demo account into a reset emulator.`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  if (spec.password) {
    await iam.send(
      new CreateLoginProfileCommand({
        UserName: userName,
        Password: 'Demo-password-1!',
        PasswordResetRequired: true,
      }),
    );
  }

  const keys: DemoKey[] = [];
  for (const keySpec of spec.keys) {
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const accessKeyId = created.AccessKey?.AccessKeyId;
    if (accessKeyId === undefined)
      throw new DemoAccountError(`CreateAccessKey for ${userName} returned no key id`);

    const createDate = daysBefore(now, keySpec.ageDays);
    const lastUsed =
      keySpec.lastUsedDaysAgo === undefined ? undefined : daysBefore(now, keySpec.lastUsedDaysAgo);
    await control.backdateAccessKey({
      userName,
      accessKeyId,
      createDate,
      ...(lastUsed === undefined ? {} : { lastUsed: { date: lastUsed, service: 's3', region: 'us-east-1' } }),
    });

    if (keySpec.warned !== undefined) {
      const record = { [noticeTag(accessKeyId)]: keySpec.warned };
      await iam.send(new TagUserCommand({ UserName: userName, Tags: toTagList(record) }));
      Object.assign(tags, record);
    }
    if (keySpec.inactive !== undefined) {
      await iam.send(
        new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }),
      );
      const { deactivatedByServiceDaysAgo } = keySpec.inactive;
      if (deactivatedByServiceDaysAgo !== undefined) {
        const record = {
          // As the service writes it once IAM has deactivated the key: confirmed.
          [deactivatedTag(accessKeyId)]: deactivatedValue(daysBefore(now, deactivatedByServiceDaysAgo), true),
        };
        await iam.send(new TagUserCommand({ UserName: userName, Tags: toTagList(record) }));
        Object.assign(tags, record);
      }
    }
    keys.push({
      accessKeyId,
      status: keySpec.inactive === undefined ? 'Active' : 'Inactive',
      createDate,
      lastUsed,
      expected: keySpec.expected,
    });
  }
  return { userName, scenario, shows: spec.shows, tags, keys, hasPassword: spec.password === true };
}

/** `days` days before `now`, to the whole second as IAM reports key times. */
function daysBefore(now: Date, days: number): Date {
  return new Date(Math.floor((now.getTime() - days * DAY_MS) / 1000) * 1000);
}

function daysAfter(now: Date, days: number): Date {
  return daysBefore(now, -days);
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function toTagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
