import { z } from 'zod';
import {
  ConfigError,
  DEFAULT_EVENT_BUS_NAME,
  DEFAULT_EXEMPT_TAG,
  dayList,
  dryRunClock,
  type Environment,
  eventBusName,
  flag,
  isoTimestamp,
  parseEnvironment,
  tagName,
  wholeNumber,
} from '../kernel/index.ts';
import { retiredMaxActionsPerRun } from '../nights/index.ts';
import type { ConsoleAccessSettings } from './types.ts';

export interface ConsoleAccessConfig {
  settings: ConsoleAccessSettings;
  /** Plan and report only: change nothing, record nothing, mail no owner. */
  dryRun: boolean;
  /** Overrides the clock the decisions use, in dry runs only (forecasts, tests); absent: the real time. */
  now: Date | undefined;
  eventBusName: string;
}

export const CONSOLE_ACCESS_DEFAULTS = {
  // CIS AWS Foundations 1.12 (v1.5 and later) and Security Hub IAM.22: console passwords unused for 45 days
  // are disabled. The 90 days of IAM.8 is the older, looser line; 45 is what an audit asks for today.
  passwordUnusedDays: 45,
  passwordWarningNoticeDays: [14, 7, 1],
  // A working week and its weekend, as for keys: keeping a password takes one sign-in, but its owner has
  // to be back at a desk to find the mail.
  passwordFirstNoticeDays: 7,
  // As keys' deletions: a removal is undone only by an administrator setting a new password. Four IAM
  // calls a removal (the re-check's two, the removal, the record), fewer than a key's deactivation.
  passwordRemovalsPerNight: 20,
  mfaReminderDays: 7,
  userIdleDays: 90,
  exemptTag: DEFAULT_EXEMPT_TAG,
  eventBusName: DEFAULT_EVENT_BUS_NAME,
} as const;

const consoleAccessEnvironment = z.object({
  PASSWORD_UNUSED_DAYS: wholeNumber(0, 3650),
  PASSWORD_WARNING_NOTICE_DAYS: dayList,
  // At least 1: a password is never removed on the night its owner is first told.
  PASSWORD_FIRST_NOTICE_DAYS: wholeNumber(1, 90),
  PASSWORD_REMOVALS_PER_NIGHT: wholeNumber(0, 5000),
  MFA_REMINDER_DAYS: wholeNumber(0, 365).refine((days) => days === undefined || days === 0 || days >= 7, {
    message: 'must be 0 (no reminders) or at least 7: a reminder goes out at most weekly',
  }),
  USER_IDLE_DAYS: wholeNumber(0, 3650),
  EXEMPT_TAG: tagName,
  DRY_RUN: flag,
  MAX_ACTIONS_PER_RUN: retiredMaxActionsPerRun('PASSWORD_REMOVALS_PER_NIGHT'),
  KEY_HYGIENE_NOW: isoTimestamp,
  EVENT_BUS_NAME: eventBusName,
});

/**
 * Reads the console-access settings from the environment.
 * @throws {ConfigError} naming every variable that is malformed or out of range.
 */
export function loadConsoleAccessConfig(environment: Environment): ConsoleAccessConfig {
  const env = parseEnvironment(consoleAccessEnvironment, environment);
  const defaults = CONSOLE_ACCESS_DEFAULTS;
  const settings: ConsoleAccessSettings = {
    passwordUnusedDays: env.PASSWORD_UNUSED_DAYS ?? defaults.passwordUnusedDays,
    passwordWarningNoticeDays: env.PASSWORD_WARNING_NOTICE_DAYS ?? [...defaults.passwordWarningNoticeDays],
    passwordFirstNoticeDays: env.PASSWORD_FIRST_NOTICE_DAYS ?? defaults.passwordFirstNoticeDays,
    passwordRemovalsPerNight: env.PASSWORD_REMOVALS_PER_NIGHT ?? defaults.passwordRemovalsPerNight,
    mfaReminderDays: env.MFA_REMINDER_DAYS ?? defaults.mfaReminderDays,
    userIdleDays: env.USER_IDLE_DAYS ?? defaults.userIdleDays,
    exemptTag: env.EXEMPT_TAG ?? defaults.exemptTag,
  };
  const { passwordUnusedDays, passwordWarningNoticeDays } = settings;
  const tooEarly = passwordWarningNoticeDays.filter((days) => days < 1 || days >= passwordUnusedDays);
  if (passwordUnusedDays > 0 && tooEarly.length > 0) {
    throw new ConfigError(
      `Invalid configuration: PASSWORD_WARNING_NOTICE_DAYS (${passwordWarningNoticeDays.join(',')}) must each be at least 1 and less than PASSWORD_UNUSED_DAYS (${passwordUnusedDays})`,
    );
  }
  const dryRun = env.DRY_RUN === 'true';
  return {
    settings,
    dryRun,
    now: dryRunClock(env.KEY_HYGIENE_NOW, dryRun, 'console passwords'),
    eventBusName: env.EVENT_BUS_NAME ?? defaults.eventBusName,
  };
}
