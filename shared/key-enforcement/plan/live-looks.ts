import { type CredentialReportRow, slotHoldsKey } from '../../credential-report/index.ts';
import { readNoticeRecords, recordedKeyCreation } from '../key-records.ts';
import { noticeDueWithoutChange } from '../notify/owner-notices.ts';
import type { KeyDecision, KeyPolicySettings, LiveAccessKey, UserKeyFacts } from '../types.ts';
import { judgeUser } from './plan-key-actions.ts';

/** Why a user is looked at live tonight (ListAccessKeys), in the summary's words. */
export type LiveLookReason =
  | 'notice due'
  | 'key not named by its records'
  | 'records to write'
  | 'records without key creation times'
  | 'tags not read'
  | 'report row set aside'
  | 'key creation time unreadable'
  | 'unused rule needs the last use';

export interface LiveLookInput {
  rows: CredentialReportRow[];
  /** The users the report flags (`selectUsersForReview`) and those of rows set aside. */
  candidates: string[];
  /** Tags read tonight, by user; a candidate without them is looked at live, tags included. */
  tags: Map<string, Record<string, string>>;
  settings: KeyPolicySettings;
  now: Date;
}

export interface LiveLookSelection {
  /** Users whose keys are listed live tonight, and why (`tags`: absent when they must be read too). */
  live: { userName: string; reason: LiveLookReason; tags?: Record<string, string> }[];
  /**
   * Users with only changes due tonight (deactivations, deletions) or only findings, every such key named
   * by its records: planned from the report and the records, each change re-checked live right before it.
   */
  fromRecords: UserKeyFacts[];
  /** Warned keys whose owners were told for this stage: not planned, they take their nights in the schedule. */
  upcoming: KeyDecision[];
  /** Users not looked at whose keys would be due but for their exemption. */
  exemptUsers: string[];
  /** Their keys that would be due. */
  exemptKeys: number;
}

/** A key of the report that no record names: judged under this id, which never leaves the selection. */
const UNNAMED = '?slot-';

/**
 * Which users need a live look tonight, decided from the credential report and the users' tags alone: a
 * user's records name each key's creation time, which the report gives each key slot, so the report's
 * keys are joined to the records' key ids. Each candidate is judged as the plan would judge it
 * (`judgeUser`); it is looked at live when a notice is due (a warning reached or missed, a first notice, a
 * late deactivation notice), when a key that needs anything has no record naming it, when records are to
 * be written (a grace period to start, a deactivation to confirm), or when the report and the tags cannot
 * be joined (old records, unreadable dates, the unused rule's live last use). A user with only changes
 * due, every such key named, is planned from the records: the enforcer's live re-check before each change
 * is then the user's only read. Records of keys no longer in the report are tidied at the next live look.
 * Pure.
 */
export function selectLiveLooks(input: LiveLookInput): LiveLookSelection {
  const rowOf = new Map(input.rows.filter((row) => !row.isRoot).map((row) => [row.user, row]));
  const selection: LiveLookSelection = {
    live: [],
    fromRecords: [],
    upcoming: [],
    exemptUsers: [],
    exemptKeys: 0,
  };
  for (const userName of input.candidates) {
    const row = rowOf.get(userName);
    const tags = input.tags.get(userName);
    if (row === undefined) {
      selection.live.push({ userName, reason: 'report row set aside', ...(tags ? { tags } : {}) });
      continue;
    }
    if (tags === undefined) {
      selection.live.push({ userName, reason: 'tags not read' });
      continue;
    }
    const look = judgeFromRecords(row, tags, input.settings, input.now);
    if ('reason' in look) selection.live.push({ userName, reason: look.reason, tags });
    else if (look.plan) selection.fromRecords.push(look.facts);
    else {
      selection.upcoming.push(...look.upcoming);
      if (look.exemptKeys > 0) {
        selection.exemptUsers.push(userName);
        selection.exemptKeys += look.exemptKeys;
      }
    }
  }
  return selection;
}

type FromRecords =
  | { reason: LiveLookReason }
  | { plan: true; facts: UserKeyFacts }
  | { plan: false; upcoming: KeyDecision[]; exemptKeys: number };

function judgeFromRecords(
  row: CredentialReportRow,
  tags: Record<string, string>,
  settings: KeyPolicySettings,
  now: Date,
): FromRecords {
  const keys = keysFromReport(row, tags, settings);
  if (!Array.isArray(keys)) return keys;
  const facts: UserKeyFacts = { userName: row.user, liveKeys: keys, tags };
  const { decisions, findings, recordChange } = judgeUser(facts, settings, now);
  if (recordChange !== undefined) {
    const writes = Object.keys(recordChange.set).length + recordChange.startGracePeriod.length;
    // Removals alone (records of keys gone) wait for the next live look: they change no decision.
    if (writes > 0) return { reason: 'records to write' };
  }
  const sent = readNoticeRecords(tags);
  const noticeSettings = { ...settings, now };
  let changes = false;
  let exemptKeys = 0;
  for (const decision of decisions) {
    const named = !decision.accessKeyId.startsWith(UNNAMED);
    if (decision.decision === 'exempt') exemptKeys += 1;
    else if (!named && !(decision.decision === 'none' && decision.status === 'Active'))
      return { reason: 'key not named by its records' };
    else if (named && noticeDueWithoutChange(decision, sent.get(decision.accessKeyId), noticeSettings))
      return { reason: 'notice due' };
    else if (
      decision.decision === 'deactivate' ||
      decision.decision === 'delete' ||
      decision.decision === 'hold'
    )
      changes = true;
  }
  if (changes || findings.length > 0) {
    const named = keys.filter((key) => !key.accessKeyId.startsWith(UNNAMED));
    return { plan: true, facts: { ...facts, liveKeys: named } };
  }
  return { plan: false, upcoming: decisions.filter((decision) => decision.decision === 'warn'), exemptKeys };
}

/**
 * The row's keys as the plan sees live keys, each named by the record of the same creation time (to the
 * second, as IAM dates keys), or `?slot-<n>` when no record names it; or why the join cannot be trusted.
 */
function keysFromReport(
  row: CredentialReportRow,
  tags: Record<string, string>,
  settings: KeyPolicySettings,
): LiveAccessKey[] | { reason: LiveLookReason } {
  const created = recordedKeyCreation(tags);
  const bySecond = new Map<number, { accessKeyId: string; createDate: Date }[]>();
  for (const [accessKeyId, date] of created) {
    if (date === 'unknown') return { reason: 'records without key creation times' };
    const second = Math.floor(date.getTime() / 1000);
    bySecond.set(second, [...(bySecond.get(second) ?? []), { accessKeyId, createDate: date }]);
  }
  const keys: LiveAccessKey[] = [];
  for (const slot of row.accessKeys.filter(slotHoldsKey)) {
    if (!(slot.lastRotated instanceof Date)) return { reason: 'key creation time unreadable' };
    const status = slot.active === true ? 'Active' : 'Inactive';
    if (status === 'Active' && settings.unusedDays > 0) return { reason: 'unused rule needs the last use' };
    const named = bySecond.get(Math.floor(slot.lastRotated.getTime() / 1000)) ?? [];
    // Two records' keys created in the same second cannot be told apart by the report.
    if (named.length > 1) return { reason: 'key not named by its records' };
    const [record] = named;
    keys.push({
      userName: row.user,
      accessKeyId: record?.accessKeyId ?? `${UNNAMED}${slot.slot}`,
      status,
      createDate: record?.createDate ?? slot.lastRotated,
    });
  }
  return keys;
}
