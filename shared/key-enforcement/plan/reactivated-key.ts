import { addDays, isoDay, wholeDaysBetween } from '../../kernel/index.ts';
import type { InactiveRecord } from '../key-records.ts';
import type { Finding, KeyDecision, KeyPolicySettings, LiveAccessKey } from '../types.ts';

/**
 * An active key that this service had deactivated (its deactivation record is confirmed): someone
 * re-activated it, e.g. its owner with `iam:UpdateAccessKey` to escape the deletion. The grace period
 * counts from the first deactivation and never restarts: before the deletion date the key is deactivated
 * again at once; on or after it, the key is deleted as it is (it would otherwise be re-activated each
 * morning and never reach a night on which it is inactive and due).
 */
export function judgeReactivatedKey(
  key: LiveAccessKey,
  record: InactiveRecord,
  settings: KeyPolicySettings,
  now: Date,
): KeyDecision {
  const deletionDate = addDays(record.since, settings.inactiveGraceDays);
  const common = {
    userName: key.userName,
    accessKeyId: key.accessKeyId,
    status: key.status,
    createDate: key.createDate,
    ageDays: wholeDaysBetween(key.createDate, now),
    inactiveSince: record.since,
    inactiveSource: 'deactivated' as const,
    deletionDate,
  };
  const found = `re-activated after key-hygiene deactivated it on ${isoDay(record.since)}`;
  if (now.getTime() >= deletionDate.getTime()) {
    return {
      ...common,
      decision: 'delete',
      reason: `${found}; its ${settings.inactiveGraceDays}-day grace period ended ${isoDay(deletionDate)}: delete`,
    };
  }
  return {
    ...common,
    decision: 'deactivate',
    deactivationRule: 'reactivated',
    reason: `${found}: deactivate again; deletion stays due ${isoDay(deletionDate)}`,
  };
}

/** The critical finding that reports a re-activated key, whatever became of it (an exemption may keep it). */
export function reactivationFinding(decision: KeyDecision): Finding {
  const since = decision.inactiveSince === undefined ? 'earlier' : `on ${isoDay(decision.inactiveSince)}`;
  const outcome =
    decision.decision === 'deactivate'
      ? `deactivated again tonight; it is still deleted on ${decision.deletionDate ? isoDay(decision.deletionDate) : 'its original date'}`
      : decision.decision === 'delete'
        ? 'its grace period is over: deleted tonight'
        : `left as it is: ${decision.reason}`;
  return {
    severity: 'critical',
    subject: decision.userName,
    message: `Access key ${decision.accessKeyId} was re-activated after key-hygiene deactivated it ${since}; ${outcome}. Re-activating a key does not restart its grace period. Find out who re-activated it (CloudTrail: UpdateAccessKey).`,
  };
}
