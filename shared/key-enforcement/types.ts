import type { KeyPolicySettings } from '../config.ts';

/** An access key as IAM reports it live (ListAccessKeys), the identity every decision is about. */
export interface LiveAccessKey {
  userName: string;
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
}

/** When an active key was last used, as IAM reports it live; `undefined` date: never used. */
export interface KeyLastUse {
  accessKeyId: string;
  lastUsedDate: Date | undefined;
}

/** What the planner knows of one user: live keys and tags, loaded only for users the report flags. */
export interface UserKeyFacts {
  userName: string;
  liveKeys: LiveAccessKey[];
  tags: Record<string, string>;
  /** Present only when the unused-key rule is on: live last-use per active key. */
  lastUse?: KeyLastUse[];
}

export type KeyDecisionKind = 'none' | 'warn' | 'deactivate' | 'delete' | 'exempt' | 'skip';

/** Which rule a deactivation follows; the enforcer re-checks last use before an `unused` deactivation. */
export type DeactivationRule = 'max-age' | 'unused';

export interface KeyDecision {
  userName: string;
  accessKeyId: string;
  /** The key as the plan saw it; the enforcer acts only if the live key still matches. */
  status: LiveAccessKey['status'];
  createDate: Date;
  ageDays: number;
  decision: KeyDecisionKind;
  reason: string;
  /** Active keys: when the key is (or was) due for deactivation. */
  deactivationDate?: Date;
  deactivationRule?: DeactivationRule;
  /** Active keys under the unused rule: the last use the plan saw (undefined: never used). */
  lastUsedDate?: Date;
  /** Inactive keys: since when, per this service's record (and whose record), and when deletion is due. */
  inactiveSince?: Date;
  inactiveSource?: 'deactivated' | 'seen-inactive' | 'first-seen-now';
  deletionDate?: Date;
  /** Exempt keys: until when (`indefinite` for `true`). */
  exemptUntil?: Date | 'indefinite';
}

/** A change to the records this service keeps in user tags (no key is touched by these). */
export interface KeyRecordChange {
  userName: string;
  /** Tags to set, e.g. the start of a grace period for a key first seen inactive. */
  set: Record<string, string>;
  /** Tag keys to remove: records of keys that no longer exist or are active again. */
  remove: string[];
  reason: string;
}

export type FindingSeverity = 'critical' | 'warning';

export interface Finding {
  severity: FindingSeverity;
  subject: string;
  message: string;
}

export interface KeyPlan {
  now: Date;
  settings: KeyPolicySettings;
  decisions: KeyDecision[];
  recordChanges: KeyRecordChange[];
  findings: Finding[];
}

/** Decisions that change a key; the guard counts these. */
export function isDestructive(decision: KeyDecisionKind): decision is 'deactivate' | 'delete' {
  return decision === 'deactivate' || decision === 'delete';
}
