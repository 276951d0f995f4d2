import { addDays } from '../../shared/kernel/time.ts';
import { KEY_ENFORCEMENT_DEFAULTS } from '../../shared/key-enforcement/config.ts';
import type {
  KeyPolicySettings,
  LiveAccessKey,
  NightLimits,
  UserKeyFacts,
} from '../../shared/key-enforcement/types.ts';

/** The decision clock of the unit tests: 2026-11-23T03:00:00Z, a nightly run. */
export const NOW = new Date('2026-11-23T03:00:00Z');

/**
 * The default rules, with keys judged at their own deadlines (`firstNoticeDays` 0): the tests of the age,
 * grace and exemption rules read best without first notices, which have tests of their own.
 */
export const DEFAULT_SETTINGS: KeyPolicySettings = {
  maxAgeDays: KEY_ENFORCEMENT_DEFAULTS.maxAgeDays,
  warningDays: KEY_ENFORCEMENT_DEFAULTS.warningDays,
  inactiveGraceDays: KEY_ENFORCEMENT_DEFAULTS.inactiveGraceDays,
  unusedDays: KEY_ENFORCEMENT_DEFAULTS.unusedDays,
  warningNoticeDays: [...KEY_ENFORCEMENT_DEFAULTS.warningNoticeDays],
  exemptTag: KEY_ENFORCEMENT_DEFAULTS.exemptTag,
  firstNoticeDays: 0,
};

/** Night limits no test account reaches: every due key is acted on tonight. */
export const NO_NIGHT_LIMITS: NightLimits = { deactivations: 10_000, deletions: 10_000 };

export function daysAgo(days: number, from: Date = NOW): Date {
  return addDays(from, -days);
}

let keyCounter = 0;

/** A live access key, `ageDays` old at NOW unless `createDate` is given. */
export function liveKey(
  userName: string,
  options: { ageDays?: number; createDate?: Date; status?: 'Active' | 'Inactive'; accessKeyId?: string } = {},
): LiveAccessKey {
  keyCounter += 1;
  return {
    userName,
    accessKeyId: options.accessKeyId ?? `AKIATEST${String(keyCounter).padStart(12, '0')}`,
    status: options.status ?? 'Active',
    createDate: options.createDate ?? daysAgo(options.ageDays ?? 10),
  };
}

export function userFacts(
  userName: string,
  liveKeys: LiveAccessKey[],
  tags: Record<string, string> = {},
  lastUse?: UserKeyFacts['lastUse'],
): UserKeyFacts {
  return { userName, liveKeys, tags, ...(lastUse ? { lastUse } : {}) };
}
