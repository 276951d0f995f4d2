import { type AccessKeySlot, type CredentialReportRow, slotHoldsKey } from '../../credential-report/index.ts';
import { DAY_MS } from '../../kernel/index.ts';
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
  // A key is in the warning window when daysUntil(created + maxAgeDays, now) <= warningDays, that is when
  // it was created at or before this instant (the same for the unused rule's last use): one comparison a
  // key, no date made per row.
  const windowOpens = (limitDays: number) => now.getTime() + (settings.warningDays - limitDays) * DAY_MS;
  const cutoffs: Cutoffs = {
    created: windowOpens(settings.maxAgeDays),
    lastUsed: settings.unusedDays > 0 ? windowOpens(settings.unusedDays) : undefined,
  };
  const selected: string[] = [];
  for (const row of rows) {
    if (row.isRoot) continue;
    if (slotMayNeedAction(row.accessKeys[0], cutoffs) || slotMayNeedAction(row.accessKeys[1], cutoffs))
      selected.push(row.user);
  }
  return selected;
}

interface Cutoffs {
  created: number;
  /** Absent when the unused rule is off. */
  lastUsed: number | undefined;
}

function slotMayNeedAction(slot: AccessKeySlot, cutoffs: Cutoffs): boolean {
  if (!slotHoldsKey(slot)) return false;
  if (slot.active !== true) return true;
  // An active key with no readable creation date cannot be judged from the report: look at it live.
  if (!(slot.lastRotated instanceof Date)) return true;
  const created = slot.lastRotated.getTime();
  if (created <= cutoffs.created) return true;
  if (cutoffs.lastUsed !== undefined) {
    const lastUse = slot.lastUsedDate instanceof Date ? slot.lastUsedDate.getTime() : created;
    if (lastUse <= cutoffs.lastUsed) return true;
  }
  return false;
}
