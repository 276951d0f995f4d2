import { type AccessKeySlot, type CredentialReportRow, slotHoldsKey } from '../../credential-report/index.ts';
import { addDays, daysUntil } from '../../kernel/index.ts';
import type { KeyPolicySettings } from '../types.ts';

/**
 * The users whose report rows show a key that may need action tonight: an active key within the warning
 * window of a deadline (or past it), or any inactive key (it may be due for deletion, or need its grace
 * period recorded). Only these users cost per-user requests; the root row is never selected.
 * The report can be hours old, which only delays a key by a night: ages grow, they never shrink.
 */
export function selectUsersForReview(
  rows: CredentialReportRow[],
  settings: KeyPolicySettings,
  now: Date,
): string[] {
  return rows
    .filter((row) => !row.isRoot && row.accessKeys.some((slot) => slotMayNeedAction(slot, settings, now)))
    .map((row) => row.user);
}

function slotMayNeedAction(slot: AccessKeySlot, settings: KeyPolicySettings, now: Date): boolean {
  if (!slotHoldsKey(slot)) return false;
  if (slot.active !== true) return true;
  // An active key with no readable creation date cannot be judged from the report: look at it live.
  if (!(slot.lastRotated instanceof Date)) return true;
  const warnFrom = (due: Date) => daysUntil(due, now) <= settings.warningDays;
  if (warnFrom(addDays(slot.lastRotated, settings.maxAgeDays))) return true;
  if (settings.unusedDays > 0) {
    const lastUse = slot.lastUsedDate instanceof Date ? slot.lastUsedDate : slot.lastRotated;
    if (warnFrom(addDays(lastUse, settings.unusedDays))) return true;
  }
  return false;
}
