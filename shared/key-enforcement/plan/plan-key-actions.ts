import {
  type CredentialReportRow,
  slotHoldsKey,
  type UnreadableReportRow,
} from '../../credential-report/index.ts';
import { addDays, daysUntil, isoDay, wholeDaysBetween } from '../../kernel/index.ts';
import { describeExemption, type Exemption, exemptionFor } from '../../notices/index.ts';
import {
  type InactiveRecord,
  readInactiveRecords,
  staleRecordTags,
  unconfirmedDeactivations,
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
import {
  applySchedule,
  daysFrom,
  judgeByWhatOwnerWasTold,
  type OwnerTold,
  ownersTold,
} from './first-notice.ts';
import { scheduleNights } from './night-schedule.ts';
import { judgeReactivatedKey, reactivationFinding } from './reactivated-key.ts';
import { unreadableRowFinding } from './report-findings.ts';

export interface PlanInput {
  /** The credential report's rows: the root row yields findings; users are judged from `users`. */
  rows: CredentialReportRow[];
  /** The report's rows set aside as unreadable: each is a finding. */
  unreadableRows?: UnreadableReportRow[];
  /** Live facts for the users looked at tonight (see `selectLiveLooks`). */
  users: UserKeyFacts[];
  /**
   * Users judged from the report and their records alone (their keys named by the records, see
   * `selectLiveLooks`): only changes are due, each re-checked live right before it. Their records are
   * never tidied from these facts: that waits for a live look.
   */
  usersFromRecords?: UserKeyFacts[];
  /**
   * Keys coming due that nobody looks at tonight (their owners were told for this stage): they take their
   * nights in the schedule, so first notices and the backlog's forecast count them, and are not planned.
   */
  upcoming?: KeyDecision[];
  settings: KeyPolicySettings;
  /** How many keys tonight may deactivate and delete; the rest wait, the most overdue first. */
  limits: NightLimits;
  now: Date;
}

/** What one user's keys get tonight: a decision per key, the user's findings and record change. */
export interface UserJudgement {
  decisions: KeyDecision[];
  findings: Finding[];
  recordChange: KeyRecordChange | undefined;
}

/**
 * Decides, key by key, what tonight's run does, with a reason a person can read, and lays the due
 * deactivations and deletions over the nights ahead within the per-night limits (see `scheduleNights`).
 * Pure: no AWS calls, no clock but `now`. A user's two keys are judged separately; the other key of a
 * two-key user is never touched because of its sibling.
 */
export function planKeyActions({
  rows,
  unreadableRows = [],
  users,
  usersFromRecords = [],
  upcoming = [],
  settings,
  limits,
  now,
}: PlanInput): KeyPlan {
  const judged: KeyDecision[] = [];
  const recordChanges: KeyRecordChange[] = [];
  const findings: Finding[] = [
    ...rows.filter((row) => row.isRoot).flatMap(rootFindings),
    ...unreadableRows.map(unreadableRowFinding),
  ];
  for (const [facts, live] of [
    ...users.map((user) => [user, true] as const),
    ...usersFromRecords.map((user) => [user, false] as const),
  ]) {
    const judgement = judgeUser(facts, settings, now);
    judged.push(...judgement.decisions);
    findings.push(...judgement.findings);
    if (live && judgement.recordChange !== undefined) recordChanges.push(judgement.recordChange);
  }
  const schedule = scheduleNights([...judged, ...upcoming], limits, now, settings.firstNoticeDays);
  const decisions = applySchedule(judged, schedule, recordChanges, now);
  return { now, settings, limits, budget: schedule.budget, decisions, recordChanges, findings };
}

/** One user's decisions, findings and record change, from the user's keys and tags. Pure. */
export function judgeUser(user: UserKeyFacts, settings: KeyPolicySettings, now: Date): UserJudgement {
  const decisions: KeyDecision[] = [];
  const findings: Finding[] = [];
  const exemption = exemptionFor(user.tags, settings.exemptTag, now);
  const records = readInactiveRecords(user.tags);
  const toldOf = ownersTold(user.tags);
  const keys = [...user.liveKeys].sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
  for (const key of keys) {
    const record = records.get(key.accessKeyId);
    const reactivated = key.status === 'Active' && record?.source === 'deactivated' && record.confirmed;
    const base =
      key.status === 'Inactive'
        ? judgeInactiveKey(key, record, settings, now)
        : reactivated
          ? judgeReactivatedKey(key, record, settings, now)
          : judgeActiveKey(key, lastUseOf(user, key), toldOf(key.accessKeyId), settings, now);
    const decision = applyExemption(base, exemption);
    decisions.push(decision);
    if (reactivated) findings.push(reactivationFinding(decision));
  }
  if (exemption.kind === 'invalid' && decisions.some((d) => d.decision === 'hold')) {
    findings.push({ severity: 'warning', subject: user.userName, message: describeExemption(exemption) });
  }
  return { decisions, findings, recordChange: recordChangeFor(user, keys, records, settings) };
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

  const byWhatWasTold = judgeByWhatOwnerWasTold(common, why, told, settings, now);
  if (byWhatWasTold !== undefined) return byWhatWasTold;
  if (now.getTime() > deadline.getTime()) {
    return { ...common, decision: 'deactivate', reason: `active key ${why}: deactivate` };
  }
  const daysLeft = daysUntil(deadline, now);
  if (daysLeft <= settings.warningDays) {
    const when = daysFrom(now, deadline);
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
      return { ...decision, reason: `${decision.reason}; ${describeExemption(exemption)}` };
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
        decision: 'hold',
        reason: `held for review until the tag is fixed: ${describeExemption(exemption)}; otherwise would ${decision.decision}: ${decision.reason}`,
      };
  }
}

function recordChangeFor(
  user: UserKeyFacts,
  keys: LiveAccessKey[],
  records: Map<string, InactiveRecord>,
  settings: KeyPolicySettings,
): KeyRecordChange | undefined {
  const startGracePeriod = keys
    .filter((key) => key.status === 'Inactive' && !records.has(key.accessKeyId))
    .map(({ accessKeyId, createDate }) => ({ accessKeyId, createDate }));
  const remove = staleRecordTags(user.tags, keys);
  const confirm = unconfirmedDeactivations(user.tags, keys);
  const confirmed = Object.keys(confirm).length;
  if (startGracePeriod.length === 0 && remove.length === 0 && confirmed === 0) return undefined;
  const reasons = [
    startGracePeriod.length > 0
      ? `start the ${settings.inactiveGraceDays}-day grace period of ${startGracePeriod.length} key(s) found inactive`
      : '',
    remove.length > 0 ? `forget ${remove.length} record(s) of keys deleted or active again` : '',
    confirmed > 0 ? `confirm ${confirmed} deactivation record(s) of keys found inactive` : '',
  ].filter(Boolean);
  return { userName: user.userName, startGracePeriod, set: confirm, remove, reason: reasons.join('; ') };
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
  return row.accessKeys.filter(slotHoldsKey).map((slot) => {
    const created =
      slot.lastRotated instanceof Date ? `created ${isoDay(slot.lastRotated)}` : 'creation unknown';
    const used = slot.lastUsedDate instanceof Date ? `last used ${isoDay(slot.lastUsedDate)}` : 'never used';
    return {
      severity: slot.active === true ? 'critical' : 'warning',
      subject: row.user,
      message: `The root account has ${slot.active === true ? 'an active' : 'an inactive'} access key (slot ${slot.slot}, ${created}, ${used}). Root keys should not exist: delete it from the root user's security credentials page. key-hygiene never acts on the root account.`,
    } satisfies Finding;
  });
}
