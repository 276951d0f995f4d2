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
import type { KeyPolicySettings, NightLimits } from './types.ts';

export interface KeyEnforcementConfig {
  keyPolicy: KeyPolicySettings;
  /** Plan and report only: change nothing, record nothing. */
  dryRun: boolean;
  /** How many keys one night may deactivate and delete; the rest wait, the most overdue first. */
  limits: NightLimits;
  /** Overrides the clock the decisions use, in dry runs only (forecasts, tests); absent: the real time. */
  now: Date | undefined;
  /** The EventBridge bus that receives audit events. */
  eventBusName: string;
}

export const KEY_ENFORCEMENT_DEFAULTS = {
  maxAgeDays: 90,
  warningDays: 14,
  inactiveGraceDays: 30,
  unusedDays: 0,
  warningNoticeDays: [14, 7, 1],
  exemptTag: DEFAULT_EXEMPT_TAG,
  // A working week and its weekend: an owner away for a long weekend still has days to rotate.
  firstNoticeDays: 7,
  // What a run does in well under its 300 s even under IAM throttling (RELIABILITY.md), as the old
  // MAX_ACTIONS_PER_RUN allowed; deletions cannot be undone, so fewer of them.
  maxDeactivationsPerNight: 50,
  maxDeletionsPerNight: 20,
  eventBusName: DEFAULT_EVENT_BUS_NAME,
} as const;

const keyEnforcementEnvironment = z.object({
  KEY_MAX_AGE_DAYS: wholeNumber(1, 3650),
  KEY_WARNING_DAYS: wholeNumber(0, 3650),
  KEY_INACTIVE_GRACE_DAYS: wholeNumber(1, 3650),
  KEY_UNUSED_DAYS: wholeNumber(0, 3650),
  KEY_WARNING_NOTICE_DAYS: dayList,
  KEY_FIRST_NOTICE_DAYS: wholeNumber(0, 90),
  EXEMPT_TAG: tagName,
  DRY_RUN: flag,
  MAX_DEACTIVATIONS_PER_NIGHT: wholeNumber(0, 5000),
  MAX_DELETIONS_PER_NIGHT: wholeNumber(0, 5000),
  MAX_ACTIONS_PER_RUN: retiredMaxActionsPerRun('MAX_DEACTIVATIONS_PER_NIGHT and MAX_DELETIONS_PER_NIGHT'),
  KEY_HYGIENE_NOW: isoTimestamp,
  EVENT_BUS_NAME: eventBusName,
});

/**
 * Reads the key-enforcement settings from the environment.
 * @throws {ConfigError} naming every variable that is malformed or out of range.
 */
export function loadKeyEnforcementConfig(environment: Environment): KeyEnforcementConfig {
  const settings = parseEnvironment(keyEnforcementEnvironment, environment);
  const keyPolicy: KeyPolicySettings = {
    maxAgeDays: settings.KEY_MAX_AGE_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.maxAgeDays,
    warningDays: settings.KEY_WARNING_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.warningDays,
    inactiveGraceDays: settings.KEY_INACTIVE_GRACE_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.inactiveGraceDays,
    unusedDays: settings.KEY_UNUSED_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.unusedDays,
    warningNoticeDays:
      settings.KEY_WARNING_NOTICE_DAYS ??
      defaultNoticeDays(settings.KEY_WARNING_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.warningDays),
    exemptTag: settings.EXEMPT_TAG ?? KEY_ENFORCEMENT_DEFAULTS.exemptTag,
    firstNoticeDays: settings.KEY_FIRST_NOTICE_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.firstNoticeDays,
  };
  if (keyPolicy.warningDays >= keyPolicy.maxAgeDays) {
    throw new ConfigError(
      `Invalid configuration: KEY_WARNING_DAYS (${keyPolicy.warningDays}) must be less than KEY_MAX_AGE_DAYS (${keyPolicy.maxAgeDays})`,
    );
  }
  const tooEarly = keyPolicy.warningNoticeDays.filter((days) => days > keyPolicy.warningDays);
  if (tooEarly.length > 0) {
    throw new ConfigError(
      `Invalid configuration: KEY_WARNING_NOTICE_DAYS (${keyPolicy.warningNoticeDays.join(',')}) must not exceed KEY_WARNING_DAYS (${keyPolicy.warningDays}): a key is first warned ${keyPolicy.warningDays} days before its deadline`,
    );
  }
  const dryRun = settings.DRY_RUN === 'true';
  return {
    keyPolicy,
    dryRun,
    limits: {
      deactivations:
        settings.MAX_DEACTIVATIONS_PER_NIGHT ?? KEY_ENFORCEMENT_DEFAULTS.maxDeactivationsPerNight,
      deletions: settings.MAX_DELETIONS_PER_NIGHT ?? KEY_ENFORCEMENT_DEFAULTS.maxDeletionsPerNight,
    },
    now: dryRunClock(settings.KEY_HYGIENE_NOW, dryRun, 'keys'),
    eventBusName: settings.EVENT_BUS_NAME ?? KEY_ENFORCEMENT_DEFAULTS.eventBusName,
  };
}

/** 14, 7 and 1 days, within the warning window; a shorter window gets its first notice on entry. */
function defaultNoticeDays(warningDays: number): number[] {
  const within = KEY_ENFORCEMENT_DEFAULTS.warningNoticeDays.filter((days) => days <= warningDays);
  return within[0] === warningDays ? within : [warningDays, ...within];
}
