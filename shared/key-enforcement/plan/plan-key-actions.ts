import type { CredentialReportRow } from '../../credential-report/index.ts';
import { addDays, DAY_MS, isoDay, wholeDaysBetween } from '../../kernel/index.ts';
import {
  deactivateOnTag,
  type InactiveRecord,
  inactiveSinceTag,
  readInactiveRecords,
  readNoticeRecords,
  readToldDates,
  staleRecordTags,
} from '../key-records.ts';
import type {
  DeactivationRule,
  Finding,
  KeyDecision,
  KeyPlan,
  KeyPolicySettings,
  KeyRecordChange,
  LiveAccessKey,
  NightLimits,
  UserKeyFacts,
} from '../types.ts';
import { describeExemption, type Exemption, exemptionFor } from './exemption.ts';
import { scheduleNights } from './night-schedule.ts';

export interface PlanInput {
  /** The credential report's rows: the root row yields findings; users are judged from `users`. */
  rows: CredentialReportRow[];
  /** Live facts for the users the report flagged (see `selectUsersForReview`). */
  users: UserKeyFacts[];
  settings: KeyPolicySettings;
  /** How many keys tonight may deactivate and delete; the rest wait, the most overdue first. */
  limits: NightLimits;
  now: Date;
}

/** What the owner of an active key has been told, from the notice records. */
interface OwnerTold {
  /** A warning about this key has been sent. */
  warned: boolean;
  /** The deactivation date told on first notice. */
  toldDate: Date | undefined;
}

/**
 * Decides, key by key, what tonight's run does, with a reason a person can read, and lays the due
 * deactivations and deletions over the nights ahead within the per-night limits (see `scheduleNights`).
 * Pure: no AWS calls, no clock but `now`. A user's two keys are judged separately; the other key of a
 * two-key user is never touched because of its sibling.
 */
export function planKeyActions({ rows, users, settings, limits, now }: PlanInput): KeyPlan {
  const judged: KeyDecision[] = [];
  const recordChanges: KeyRecordChange[] = [];
  const findings: Finding[] = rows.filter((row) => row.isRoot).flatMap(rootFindings);

  for (const user of users) {
    const exemption = exemptionFor(user.tags, settings.exemptTag, now);
    const records = readInactiveRecords(user.tags);
    const notices = readNoticeRecords(user.tags);
    const toldDates = readToldDates(user.tags);
    const keys = [...user.liveKeys].sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
    for (const key of keys) {
      const told: OwnerTold = {
        warned: notices.get(key.accessKeyId)?.kind === 'warning',
        toldDate: toldDates.get(key.accessKeyId),
      };
      const base =
        key.status === 'Active'
          ? judgeActiveKey(key, lastUseOf(user, key), told, settings, now)
          : judgeInactiveKey(key, records.get(key.accessKeyId), settings, now);
      judged.push(applyExemption(base, exemption));
    }
    if (
      exemption.kind === 'invalid' &&
      judged.some((d) => d.userName === user.userName && d.decision === 'skip')
    ) {
      findings.push({ severity: 'warning', subject: user.userName, message: describeExemption(exemption) });
    }
    const change = recordChangeFor(user, keys, records, now, settings);
    if (change !== undefined) recordChanges.push(change);
  }
  const schedule = scheduleNights(judged, limits, now, settings.firstNoticeDays);
  const decisions = judged.map((decision): KeyDecision => {
    const toldDate = schedule.toldDates.get(decision.accessKeyId);
    const waits = schedule.waiting.get(decision.accessKeyId);
    if (decision.decision === 'warn' && decision.firstNotice === true && toldDate !== undefined) {
      return {
        ...decision,
        deactivationDate: toldDate,
        toldDate,
        reason: `first notice: will be deactivated on ${isoDay(toldDate)} (${daysFrom(now, toldDate)}), not earlier; ${decision.reason}`,
      };
    }
    return waits === undefined ? decision : { ...decision, waits };
  });
  for (const decision of decisions) {
    if (decision.decision === 'warn' && decision.firstNotice === true && decision.toldDate !== undefined) {
      recordToldDate(recordChanges, decision.userName, decision.accessKeyId, decision.toldDate);
    }
  }
  return { now, settings, limits, budget: schedule.budget, decisions, recordChanges, findings };
}

/** Adds the told deactivation date of a first notice to the user's record change. */
function recordToldDate(changes: KeyRecordChange[], userName: string, accessKeyId: string, date: Date): void {
  const reason = 'record the deactivation date told on first notice';
  const existing = changes.find((change) => change.userName === userName);
  if (existing === undefined) {
    changes.push({
      userName,
      set: { [deactivateOnTag(accessKeyId)]: date.toISOString() },
      remove: [],
      reason,
    });
    return;
  }
  existing.set[deactivateOnTag(accessKeyId)] = date.toISOString();
  if (!existing.reason.includes(reason)) existing.reason = `${existing.reason}; ${reason}`;
}

function daysFrom(now: Date, date: Date): string {
  const days = Math.ceil((date.getTime() - now.getTime()) / DAY_MS);
  return days <= 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`;
}

function lastUseOf(user: UserKeyFacts, key: LiveAccessKey): { known: boolean; date: Date | undefined } {
  const entry = user.lastUse?.find((use) => use.accessKeyId === key.accessKeyId);
  return entry === undefined ? { known: false, date: undefined } : { known: true, date: entry.lastUsedDate };
}

function judgeActiveKey(
  key: LiveAccessKey,
  lastUse: { known: boolean; date: Date | undefined },
  told: OwnerTold,
  settings: KeyPolicySettings,
  now: Date,
): KeyDecision {
  const ageDays = wholeDaysBetween(key.createDate, now);
  let deadline = addDays(key.createDate, settings.maxAgeDays);
  let rule: DeactivationRule = 'max-age';
  // The unused rule needs live last-use; without it the key is judged by age alone.
  if (settings.unusedDays > 0 && lastUse.known) {
    const unusedDeadline = addDays(lastUse.date ?? key.createDate, settings.unusedDays);
    if (unusedDeadline.getTime() < deadline.getTime()) {
      deadline = unusedDeadline;
      rule = 'unused';
    }
  }
  const common = {
    ...identity(key, ageDays),
    deactivationDate: deadline,
    deactivationRule: rule,
    ...(rule === 'unused' ? { lastUsedDate: lastUse.date } : {}),
  };
  const why =
    rule === 'max-age'
      ? `${ageDays} days old, limit ${settings.maxAgeDays}`
      : lastUse.date === undefined
        ? `never used since its creation ${ageDays} days ago, unused limit ${settings.unusedDays}`
        : `unused since ${isoDay(lastUse.date)} (${wholeDaysBetween(lastUse.date, now)} days), unused limit ${settings.unusedDays}`;

  // Never before the date its owner was told; a later deadline of its own still wins.
  if (told.toldDate !== undefined && told.toldDate.getTime() > deadline.getTime()) {
    const toldDate = told.toldDate;
    const onNotice = `as its owner was told on first notice: ${why}`;
    return now.getTime() > toldDate.getTime()
      ? {
          ...common,
          deactivationDate: toldDate,
          toldDate,
          decision: 'deactivate',
          reason: `active key due on ${isoDay(toldDate)}, ${onNotice}: deactivate`,
        }
      : {
          ...common,
          deactivationDate: toldDate,
          toldDate,
          decision: 'warn',
          reason: `will be deactivated on ${isoDay(toldDate)} (${daysFrom(now, toldDate)}), ${onNotice}`,
        };
  }
  // Due, or too close to it, and never warned: a first notice with a date of its own (see scheduleNights).
  const neverTold = !told.warned && told.toldDate === undefined;
  if (
    settings.firstNoticeDays > 0 &&
    neverTold &&
    deadline.getTime() - now.getTime() < settings.firstNoticeDays * DAY_MS
  ) {
    const state = now.getTime() > deadline.getTime() ? 'overdue since' : 'due on';
    return {
      ...common,
      decision: 'warn',
      firstNotice: true,
      reason: `${state} ${isoDay(deadline)} and its owner never warned: ${why}`,
    };
  }
  if (now.getTime() > deadline.getTime()) {
    return { ...common, decision: 'deactivate', reason: `active key ${why}: deactivate` };
  }
  const daysLeft = Math.ceil((deadline.getTime() - now.getTime()) / DAY_MS);
  if (daysLeft <= settings.warningDays) {
    const when = daysLeft === 0 ? 'today' : `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
    const unless = rule === 'unused' ? ' unless it is used before then' : '';
    return {
      ...common,
      decision: 'warn',
      reason: `will be deactivated on ${isoDay(deadline)} (${when})${unless}: ${why}`,
    };
  }
  return {
    ...common,
    decision: 'none',
    reason: `active, ${why}; due for deactivation on ${isoDay(deadline)}`,
  };
}

function judgeInactiveKey(
  key: LiveAccessKey,
  record: InactiveRecord | undefined,
  settings: KeyPolicySettings,
  now: Date,
): KeyDecision {
  const ageDays = wholeDaysBetween(key.createDate, now);
  if (record === undefined) {
    const deletionDate = addDays(now, settings.inactiveGraceDays);
    return {
      ...identity(key, ageDays),
      decision: 'none',
      inactiveSince: now,
      inactiveSource: 'first-seen-now',
      deletionDate,
      reason: `found inactive (not deactivated by key-hygiene): the ${settings.inactiveGraceDays}-day grace period starts now; deletion due ${isoDay(deletionDate)}`,
    };
  }
  const deletionDate = addDays(record.since, settings.inactiveGraceDays);
  const inactiveDays = Math.max(0, wholeDaysBetween(record.since, now));
  const origin = record.source === 'deactivated' ? 'deactivated by key-hygiene' : 'first seen inactive';
  const common = {
    ...identity(key, ageDays),
    inactiveSince: record.since,
    inactiveSource: record.source,
    deletionDate,
  };
  if (now.getTime() >= deletionDate.getTime()) {
    return {
      ...common,
      decision: 'delete',
      reason: `inactive since ${isoDay(record.since)} (${origin}), ${inactiveDays} days, grace period ${settings.inactiveGraceDays}: delete`,
    };
  }
  return {
    ...common,
    decision: 'none',
    reason: `inactive since ${isoDay(record.since)} (${origin}), ${inactiveDays} days; deletion due ${isoDay(deletionDate)}`,
  };
}

function applyExemption(decision: KeyDecision, exemption: Exemption): KeyDecision {
  const due =
    decision.decision === 'warn' || decision.decision === 'deactivate' || decision.decision === 'delete';
  if (!due) return decision;
  switch (exemption.kind) {
    case 'none':
      return decision;
    case 'expired':
      return { ...decision, reason: `${decision.reason} (${describeExemption(exemption)})` };
    case 'indefinite':
    case 'until':
      return {
        ...decision,
        decision: 'exempt',
        exemptUntil: exemption.kind === 'until' ? exemption.until : 'indefinite',
        reason: `${describeExemption(exemption)}; otherwise would ${decision.decision}: ${decision.reason}`,
      };
    case 'invalid':
      return {
        ...decision,
        decision: 'skip',
        reason: `held until the tag is fixed: ${describeExemption(exemption)}; otherwise would ${decision.decision}: ${decision.reason}`,
      };
  }
}

function recordChangeFor(
  user: UserKeyFacts,
  keys: LiveAccessKey[],
  records: Map<string, InactiveRecord>,
  now: Date,
  settings: KeyPolicySettings,
): KeyRecordChange | undefined {
  const set: Record<string, string> = {};
  for (const key of keys) {
    if (key.status === 'Inactive' && !records.has(key.accessKeyId)) {
      set[inactiveSinceTag(key.accessKeyId)] = now.toISOString();
    }
  }
  const remove = staleRecordTags(user.tags, keys);
  if (Object.keys(set).length === 0 && remove.length === 0) return undefined;
  const reasons = [
    Object.keys(set).length > 0
      ? `start the ${settings.inactiveGraceDays}-day grace period of ${Object.keys(set).length} key(s) found inactive`
      : '',
    remove.length > 0 ? `forget ${remove.length} record(s) of keys deleted or active again` : '',
  ].filter(Boolean);
  return { userName: user.userName, set, remove, reason: reasons.join('; ') };
}

function identity(key: LiveAccessKey, ageDays: number) {
  return {
    userName: key.userName,
    accessKeyId: key.accessKeyId,
    status: key.status,
    createDate: key.createDate,
    ageDays,
  };
}

function rootFindings(row: CredentialReportRow): Finding[] {
  return row.accessKeys
    .filter((slot) => slot.active === true || slot.lastRotated instanceof Date)
    .map((slot) => {
      const created =
        slot.lastRotated instanceof Date ? `created ${isoDay(slot.lastRotated)}` : 'creation unknown';
      const used =
        slot.lastUsedDate instanceof Date ? `last used ${isoDay(slot.lastUsedDate)}` : 'never used';
      return {
        severity: slot.active === true ? 'critical' : 'warning',
        subject: row.user,
        message: `The root account has ${slot.active === true ? 'an active' : 'an inactive'} access key (slot ${slot.slot}, ${created}, ${used}). Root keys should not exist: delete it from the root user's security credentials page. key-hygiene never acts on the root account.`,
      } satisfies Finding;
    });
}
