import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  type IAMClient,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { CONSOLE_ACCESS_DEFAULTS, PASSWORD_NOTICE_TAG } from '../shared/console-access/index.ts';
import type { EmulatorControl } from './emulator/index.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const EXEMPT_TAG = CONSOLE_ACCESS_DEFAULTS.exemptTag;
const UNUSED_DAYS = CONSOLE_ACCESS_DEFAULTS.passwordUnusedDays;

export type ConsoleScenario =
  | 'warnedYesterday'
  | 'unusedFirstFound'
  | 'onboardedNeverSignedIn'
  | 'signsIn'
  | 'noMfa'
  | 'exempt'
  | 'idle';

export interface ConsoleDemoUser {
  userName: string;
  scenario: ConsoleScenario;
  /** What this user is in the demo to show. */
  shows: string;
}

export interface ConsoleUserSpec {
  userName: string;
  shows: string;
  /** Days ago the password was set; absent: no console password. */
  passwordSetDaysAgo?: number;
  /** Days ago the password was last used; absent: never. */
  lastSignInDaysAgo?: number;
  mfa?: boolean;
  tags?: (now: Date, lastActivity: Date) => Record<string, string>;
  /** An inactive access key last used this many days ago. */
  inactiveKeyLastUsedDaysAgo?: number;
}

function scenarios(): Record<ConsoleScenario, ConsoleUserSpec> {
  return {
    warnedYesterday: {
      userName: 'rex.console-warned',
      shows: 'a console password unused for 60 days, whose owner was warned by earlier runs: removed tonight',
      passwordSetDaysAgo: 300,
      lastSignInDaysAgo: 60,
      mfa: true,
      tags: (now, lastActivity) => ({
        [PASSWORD_NOTICE_TAG]: `warning-1 ${daysBefore(now, 1).toISOString()} ${new Date(lastActivity.getTime() + UNUSED_DAYS * DAY_MS).toISOString()}`,
      }),
    },
    unusedFirstFound: {
      userName: 'uma.console-unused',
      shows: `a console password unused for 100 days, its owner never warned: a first notice tonight, removed no sooner than ${CONSOLE_ACCESS_DEFAULTS.passwordFirstNoticeDays} days later`,
      passwordSetDaysAgo: 400,
      lastSignInDaysAgo: 100,
      mfa: true,
    },
    onboardedNeverSignedIn: {
      userName: 'otto.onboarded',
      shows: `onboarded 40 days ago and never signed in: counted from when the password was set, due in ${UNUSED_DAYS - 40} days and never warned, so a first notice a week out; reminded to set up MFA`,
      passwordSetDaysAgo: 40,
    },
    signsIn: {
      userName: 'sam.signs-in',
      shows: 'signs in to the console regularly, with MFA: nothing to do',
      passwordSetDaysAgo: 200,
      lastSignInDaysAgo: 2,
      mfa: true,
    },
    noMfa: {
      userName: 'mia.no-mfa',
      shows: 'signs in, without MFA: reminded now, then weekly until MFA is set up',
      passwordSetDaysAgo: 120,
      lastSignInDaysAgo: 1,
    },
    exempt: {
      userName: 'ezra.console-exempt',
      shows: `a console password unused for 200 days, kept because ${EXEMPT_TAG}=true`,
      passwordSetDaysAgo: 500,
      lastSignInDaysAgo: 200,
      mfa: true,
      tags: () => ({ [EXEMPT_TAG]: 'true' }),
    },
    idle: {
      userName: 'ida.idle',
      shows:
        'no console password, only an inactive key last used 200 days ago: listed as idle, never deleted',
      inactiveKeyLastUsedDaysAgo: 200,
    },
  };
}

/**
 * Seeds console users into the emulator (run it against a reset emulator, after or without the key demo
 * account): console passwords dated through the harness, MFA devices, records and exemptions, to show each
 * case enforceConsoleAccess handles.
 */
export async function seedConsoleDemoUsers(
  iam: IAMClient,
  control: EmulatorControl,
  now: Date,
): Promise<Record<ConsoleScenario, ConsoleDemoUser>> {
  const users: Partial<Record<ConsoleScenario, ConsoleDemoUser>> = {};
  for (const [scenario, spec] of Object.entries(scenarios()) as [ConsoleScenario, ConsoleUserSpec][]) {
    await seedConsoleUser(iam, control, now, spec);
    users[scenario] = { userName: spec.userName, scenario, shows: spec.shows };
  }
  return users as Record<ConsoleScenario, ConsoleDemoUser>;
}

/** One console user, as the spec says; exported for tests that need a user of their own. */
export async function seedConsoleUser(
  iam: IAMClient,
  control: EmulatorControl,
  now: Date,
  spec: ConsoleUserSpec,
): Promise<void> {
  const { userName } = spec;
  const setAt = spec.passwordSetDaysAgo === undefined ? undefined : daysBefore(now, spec.passwordSetDaysAgo);
  const lastUsed = spec.lastSignInDaysAgo === undefined ? undefined : daysBefore(now, spec.lastSignInDaysAgo);
  const lastActivity = lastUsed ?? setAt ?? now;
  const tags = spec.tags?.(now, lastActivity) ?? {};
  await iam.send(
    new CreateUserCommand({
      UserName: userName,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  if (setAt !== undefined) {
    await iam.send(
      new CreateLoginProfileCommand({
        UserName: userName,
        Password: 'Demo-password-1!',
        PasswordResetRequired: true,
      }),
    );
    await control.backdateLoginProfile({ userName, passwordSetAt: setAt, ...(lastUsed ? { lastUsed } : {}) });
  }
  if (spec.mfa) {
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: userName }));
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: userName,
        SerialNumber: device.VirtualMFADevice?.SerialNumber,
        AuthenticationCode1: '123456',
        AuthenticationCode2: '654321',
      }),
    );
  }
  if (spec.inactiveKeyLastUsedDaysAgo !== undefined) {
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const accessKeyId = created.AccessKey?.AccessKeyId ?? '';
    await control.backdateAccessKey({
      userName,
      accessKeyId,
      createDate: daysBefore(now, spec.inactiveKeyLastUsedDaysAgo + 100),
      lastUsed: { date: daysBefore(now, spec.inactiveKeyLastUsedDaysAgo) },
    });
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }),
    );
  }
}

/** `days` days before `now`, to the whole second as IAM reports times. */
function daysBefore(now: Date, days: number): Date {
  return new Date(Math.floor((now.getTime() - days * DAY_MS) / 1000) * 1000);
}
