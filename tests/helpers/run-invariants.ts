import type { IAMClient } from '@aws-sdk/client-iam';
import type { DemoAccount } from '../../scripts/demo-account.ts';
import type { SentEmail } from '../../scripts/emulator/index.ts';
import { SERVICE_TAG_PREFIX as RECORD_TAG_PREFIX } from '../../shared/kernel/index.ts';
import type { KeyEnforcementSummary } from '../../shared/key-enforcement/types.ts';
import { snapshotAccount } from './account-snapshot.ts';
import type { Exchange } from './fault-proxy.ts';

/**
 * Names each seeded key `<user>#<n>` (n: creation order), so that two separately seeded accounts, whose
 * key ids differ, can be compared key by key. A key the test did not seed is `<user>#new`.
 */
export class KeyLabels {
  private readonly byId = new Map<string, string>();

  constructor(demo: DemoAccount) {
    for (const user of Object.values(demo.users)) {
      user.keys.forEach((key, index) => {
        this.byId.set(key.accessKeyId, `${user.userName}#${index + 1}`);
      });
    }
  }

  /** The label of a key id; `<user>#new` for a key the account was not seeded with. */
  of(accessKeyId: string, userName = '?'): string {
    return this.byId.get(accessKeyId) ?? `${userName}#new`;
  }

  /** The key id of a label. */
  idOf(label: string): string {
    for (const [id, candidate] of this.byId) if (candidate === label) return id;
    throw new Error(`no seeded key ${label}`);
  }

  /** Every seeded key's label. */
  all(): string[] {
    return [...this.byId.values()].sort();
  }

  /** Replaces every seeded key id in a text (tag keys, mail bodies) by its label. */
  relabel(text: string): string {
    return text.replace(/AKIA[A-Z0-9]{16}/g, (id) => this.byId.get(id) ?? 'AKIA(unseeded)');
  }
}

/** An account read back after a run, key ids replaced by labels and record timestamps by what they mean. */
export interface AccountMeaning {
  /** Per seeded key (and any new key): its status, or `deleted`. */
  keys: Record<string, 'Active' | 'Inactive' | 'deleted'>;
  /**
   * Per user, the service's record tags: `key-hygiene:<kind>:<label>` -> meaning of the value:
   * `as seeded`, `seeded time` (the seeded timestamp, re-written), `action time` (a timestamp the run wrote:
   * records carry the real time of the change, never the decision clock), each with `, confirmed` for a
   * deactivation record marked confirmed, or the value itself (notice records: `warning-7`, `deactivated`).
   */
  records: Record<string, Record<string, string>>;
  /** Per user, every other tag, as is. */
  otherTags: Record<string, Record<string, string>>;
}

/** Reads the account and describes it by meaning (see `AccountMeaning`). */
export async function accountMeaning(
  iam: IAMClient,
  demo: DemoAccount,
  labels: KeyLabels,
): Promise<AccountMeaning> {
  const snapshot = await snapshotAccount(iam);
  const meaning: AccountMeaning = { keys: {}, records: {}, otherTags: {} };
  for (const label of labels.all()) meaning.keys[label] = 'deleted';
  const seededTags = new Map(Object.values(demo.users).map((user) => [user.userName, user.tags]));
  for (const [userName, user] of Object.entries(snapshot)) {
    for (const key of user.keys) {
      meaning.keys[labels.of(key.accessKeyId, userName)] = key.status === 'Active' ? 'Active' : 'Inactive';
    }
    const records: Record<string, string> = {};
    const other: Record<string, string> = {};
    for (const [tagKey, value] of Object.entries(user.tags)) {
      if (!tagKey.startsWith(RECORD_TAG_PREFIX) || tagKey === 'key-hygiene:exempt') {
        other[tagKey] = value;
        continue;
      }
      // A deactivation record is `<time>` until IAM confirmed the deactivation, then `<time> confirmed`.
      const time = value.replace(/ confirmed$/, '');
      const confirmed = time === value ? '' : ', confirmed';
      const seeded = seededTags.get(userName)?.[tagKey] === value;
      records[labels.relabel(tagKey)] = seeded
        ? 'as seeded'
        : seededTags.get(userName)?.[tagKey]?.replace(/ confirmed$/, '') === time
          ? `seeded time${confirmed}`
          : /^\d{4}-\d{2}-\d{2}T/.test(time) && !Number.isNaN(Date.parse(time))
            ? `action time${confirmed}`
            : value;
    }
    meaning.records[userName] = records;
    meaning.otherTags[userName] = other;
  }
  return meaning;
}

/** A change the run asked IAM to make, by label. */
export interface Mutation {
  action: 'UpdateAccessKey' | 'DeleteAccessKey' | 'TagUser' | 'UntagUser';
  userName: string;
  /** Key changes: the key's label; tag changes: the (relabelled) tag keys. */
  target: string;
}

const MUTATING = new Set(['UpdateAccessKey', 'DeleteAccessKey', 'TagUser', 'UntagUser']);

/** Every IAM change that reached the emulator (as the emulator received it, whatever the client was told). */
export function mutationsOf(exchanges: Exchange[], labels: KeyLabels): Mutation[] {
  return exchanges.flatMap((exchange): Mutation[] => {
    const { request } = exchange;
    if (request.service !== 'iam' || !MUTATING.has(request.action)) return [];
    return exchange.emulatorCalls.map((call): Mutation => {
      const params = new URLSearchParams(call.body.toString('utf8'));
      const action = (params.get('Action') ?? request.action) as Mutation['action'];
      const userName = params.get('UserName') ?? '?';
      if (action === 'UpdateAccessKey' || action === 'DeleteAccessKey') {
        const target = labels.of(params.get('AccessKeyId') ?? '?', userName);
        const status = params.get('Status');
        return { action, userName, target: status ? `${target} ${status}` : target };
      }
      const tagKeys = [...params.entries()]
        .filter(([name]) => /^(Tags\.member\.\d+\.Key|TagKeys\.member\.\d+)$/.test(name))
        .map(([, value]) => labels.relabel(value))
        .sort();
      return { action, userName, target: tagKeys.join(' ') };
    });
  });
}

/**
 * The key changes and tag changes of `run` that the fault-free `baseline` did not make: keys changed that
 * the plan did not change, tags written on users the plan did not touch, or tags not of this service.
 */
export function mutationsOutsidePlan(run: Mutation[], baseline: Mutation[]): string[] {
  const keyChanges = new Set(
    baseline.filter((m) => m.action.endsWith('AccessKey')).map((m) => `${m.action} ${m.target}`),
  );
  const taggedUsers = new Set(baseline.map((m) => m.userName));
  return run.flatMap((mutation) => {
    if (mutation.action.endsWith('AccessKey')) {
      return keyChanges.has(`${mutation.action} ${mutation.target}`)
        ? []
        : [`${mutation.action} ${mutation.target} (not in the fault-free plan)`];
    }
    const foreign = mutation.target.split(' ').filter((tag) => !tag.startsWith(RECORD_TAG_PREFIX));
    if (foreign.length > 0)
      return [`${mutation.action} ${mutation.userName}: foreign tags ${foreign.join(' ')}`];
    if (
      !mutation.target
        .split(' ')
        .every((tag) => tag.endsWith('#new') || tag.includes(`:${mutation.userName}#`))
    )
      return [`${mutation.action} ${mutation.userName}: records of another user's key: ${mutation.target}`];
    return taggedUsers.has(mutation.userName)
      ? []
      : [`${mutation.action} ${mutation.userName} (a user the fault-free run did not touch)`];
  });
}

export type NoticeKind = 'warning' | 'deactivated' | 'deleted';

/** One key named in one owner mail, as read back from the emulated SES. */
export interface DeliveredNotice {
  to: string;
  key: string;
  notice: NoticeKind;
}

/** The owner notices in the mails the emulator accepted (the security team's digests left out). */
export function deliveredNotices(
  mails: SentEmail[],
  labels: KeyLabels,
  securityTeam: string[],
): DeliveredNotice[] {
  return mails.flatMap((mail) => {
    const to = recipientsOf(mail).filter((address) => !securityTeam.includes(address));
    if (to.length === 0) return [];
    const text = plainTextOf(mail);
    const notices: DeliveredNotice[] = [];
    for (const match of text.matchAll(
      /^(AKIA[A-Z0-9]{16})\s+\d+ days\s+(It will be deactivated|Deactivated|Deleted)/gm,
    )) {
      const notice: NoticeKind =
        match[2] === 'Deactivated' ? 'deactivated' : match[2] === 'Deleted' ? 'deleted' : 'warning';
      for (const address of to) notices.push({ to: address, key: labels.of(match[1] as string), notice });
    }
    return notices;
  });
}

/** The mails that went to an address. */
export function mailsTo(mails: SentEmail[], address: string): SentEmail[] {
  return mails.filter((mail) => recipientsOf(mail).includes(address));
}

/**
 * Each owner-and-key notice mailed more than once, with the count, less the copies `allowance` explains
 * (per address: how many extra copies are accounted for, e.g. by SES answers lost after SES accepted).
 */
export function repeatedNotices(
  notices: DeliveredNotice[],
  allowance: ReadonlyMap<string, number> = new Map(),
): string[] {
  const counts = new Map<string, { to: string; count: number }>();
  for (const notice of notices) {
    const id = `${notice.to} ${notice.key} ${notice.notice}`;
    counts.set(id, { to: notice.to, count: (counts.get(id)?.count ?? 0) + 1 });
  }
  return [...counts]
    .filter(([, { to, count }]) => count - 1 > (allowance.get(to) ?? 0))
    .map(([id, { count }]) => `${id} x${count}`);
}

/**
 * Per address, the mails SES accepted whose answer the client never got (the connection dropped or hung
 * after the request reached SES): the SDK retries those, so each may arrive twice. No client can tell
 * such a mail from one SES never saw; SES v2 has no idempotency token.
 */
export function lostSesAnswers(exchanges: Exchange[]): Map<string, number> {
  const lost = new Map<string, number>();
  for (const exchange of exchanges) {
    const { request } = exchange;
    if (request.service !== 'ses' || request.action !== 'SendEmail') continue;
    const accepted = exchange.emulatorCalls.some((call) => call.response.status === 200);
    if (!accepted || exchange.status !== undefined) continue;
    const body = JSON.parse(request.body.toString('utf8')) as { Destination?: { ToAddresses?: string[] } };
    for (const address of body.Destination?.ToAddresses ?? [])
      lost.set(address, (lost.get(address) ?? 0) + 1);
  }
  return lost;
}

/** `to key notice` strings, sorted, to compare sets of notices. */
export function noticeSet(notices: DeliveredNotice[]): string[] {
  return [...new Set(notices.map((n) => `${n.to} ${n.key} ${n.notice}`))].sort();
}

/**
 * What the summary claims that the account and the emulator do not bear out: a key `done` that is not in
 * the state its decision asks for; an owner mail `sent` that the emulator never accepted (for each key it
 * names); a digest `sent` that no security-team address received; audit events counted as published that
 * EventBridge never acknowledged.
 */
export function summaryClaimsNotBorneOut(input: {
  summary: KeyEnforcementSummary;
  account: AccountMeaning;
  labels: KeyLabels;
  mails: SentEmail[];
  securityTeam: string[];
  exchanges: Exchange[];
}): string[] {
  const { summary, account, labels } = input;
  const problems: string[] = [];
  for (const row of summary.keys.filter((candidate) => candidate.outcome === 'done')) {
    const label = labels.of(row.accessKeyId, row.userName);
    const wanted = row.decision === 'deactivate' ? 'Inactive' : 'deleted';
    if (account.keys[label] !== wanted)
      problems.push(`${label}: ${row.decision} reported done, but the key is ${account.keys[label]}`);
  }
  const delivered = deliveredNotices(input.mails, labels, input.securityTeam);
  for (const owner of summary.notifications.owners.filter((candidate) => candidate.status === 'sent')) {
    for (const key of owner.keys) {
      const label = labels.of(key.accessKeyId, owner.userName);
      const found = delivered.some(
        (notice) => notice.to === owner.address && notice.key === label && notice.notice === key.notice,
      );
      if (!found)
        problems.push(`${owner.address}: ${key.notice} of ${label} reported sent, not in the emulator`);
    }
  }
  if (summary.notifications.digest.status === 'sent') {
    for (const address of input.securityTeam) {
      if (mailsTo(input.mails, address).length === 0)
        problems.push(`digest reported sent, ${address} has none`);
    }
  }
  if ('published' in summary.audit) {
    const { acknowledged, accepted } = auditDeliveries(input.exchanges);
    if (summary.audit.published !== acknowledged.length) {
      problems.push(
        `audit: ${summary.audit.published} events reported published, EventBridge acknowledged ${acknowledged.length}`,
      );
    }
    for (const event of acknowledged) {
      if (!accepted.includes(event)) problems.push(`audit: ${event} acknowledged but never accepted`);
    }
  }
  return problems;
}

/**
 * Audit events by `detail-type detail`: those EventBridge acknowledged to the client (an EventId in the
 * answer the client got), and those the emulator accepted (an EventId in the emulator's own answer).
 */
export function auditDeliveries(exchanges: Exchange[]): { acknowledged: string[]; accepted: string[] } {
  const acknowledged: string[] = [];
  const accepted: string[] = [];
  for (const exchange of exchanges) {
    if (exchange.request.action !== 'PutEvents') continue;
    if (exchange.status === 200 && exchange.responseBody !== undefined && exchange.responseBody.length > 0) {
      acknowledged.push(...acceptedEntries(exchange.request.body, exchange.responseBody));
    }
    for (const call of exchange.emulatorCalls) {
      if (call.response.status === 200) accepted.push(...acceptedEntries(call.body, call.response.body));
    }
  }
  return { acknowledged, accepted };
}

function acceptedEntries(requestBody: Buffer, responseBody: Buffer): string[] {
  const request = JSON.parse(requestBody.toString('utf8')) as {
    Entries: { DetailType: string; Detail: string }[];
  };
  const response = JSON.parse(responseBody.toString('utf8')) as { Entries?: { EventId?: string }[] };
  return request.Entries.flatMap((entry, index) =>
    response.Entries?.[index]?.EventId ? [`${entry.DetailType} ${entry.Detail}`] : [],
  );
}

function recipientsOf(mail: SentEmail): string[] {
  const addresses =
    mail.kind === 'raw'
      ? mail.destinations.map((destination) => /<([^>]+)>/.exec(destination)?.[1] ?? destination)
      : (mail.destinations.ToAddresses ?? []);
  return [...new Set(addresses)];
}

/** The text/plain part of a raw mail, quoted-printable decoded. */
export function plainTextOf(mail: SentEmail): string {
  if (mail.kind !== 'raw') return mail.body;
  const boundary = /boundary="([^"]+)"/.exec(mail.rawData)?.[1];
  const parts = boundary === undefined ? [mail.rawData] : mail.rawData.split(`--${boundary}`);
  const part = parts.find((candidate) => /^\s*Content-Type: text\/plain/i.test(candidate)) ?? '';
  const body = part.slice(part.search(/\r?\n\r?\n/)).replace(/^\r?\n\r?\n/, '');
  const encoded = /Content-Transfer-Encoding: quoted-printable/i.test(part)
    ? body.replace(/=\r?\n/g, '')
    : body;
  const bytes: number[] = [];
  for (let index = 0; index < encoded.length; index += 1) {
    const hex = encoded[index] === '=' ? /^[0-9A-F]{2}/.exec(encoded.slice(index + 1, index + 3)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(encoded[index] ?? ''));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Where an account differs from the expected one, one line per key, record or tag. */
export function stateDifferences(actual: AccountMeaning, expected: AccountMeaning): string[] {
  const differences: string[] = [];
  for (const label of new Set([...Object.keys(expected.keys), ...Object.keys(actual.keys)])) {
    if (actual.keys[label] !== expected.keys[label])
      differences.push(`key ${label}: ${actual.keys[label]} (expected ${expected.keys[label]})`);
  }
  for (const [what, actualTags, expectedTags] of [
    ['record', actual.records, expected.records],
    ['tag', actual.otherTags, expected.otherTags],
  ] as const) {
    for (const user of new Set([...Object.keys(actualTags), ...Object.keys(expectedTags)])) {
      const have = actualTags[user] ?? {};
      const want = expectedTags[user] ?? {};
      for (const tag of new Set([...Object.keys(have), ...Object.keys(want)])) {
        if (have[tag] !== want[tag])
          differences.push(
            `${what} ${user} ${tag}: ${have[tag] ?? 'absent'} (expected ${want[tag] ?? 'absent'})`,
          );
      }
    }
  }
  return differences.sort();
}

/** The outcome of the invariant checks after a faulted run (and its reruns); all lists empty: all held. */
export interface Verdict {
  /** The account differs from the expected end state (by default: the fault-free run's). */
  stateDifferences: string[];
  /** A key, or a user's tags, changed that the fault-free plan did not change. */
  outsidePlan: string[];
  /**
   * An owner mailed the same notice about the same key more than once, beyond the copies explained by a
   * lost SES answer (see `lostSesAnswers`) or by the test's own `allowedRepeats`.
   */
  repeatedNotices: string[];
  /** A notice the fault-free run delivered that never arrived (only when all are required). */
  missingNotices: string[];
  /** Something a summary reported as done (a key change, a mail, an audit event) that was not. */
  claimsNotBorneOut: string[];
}

/** A verdict with nothing wrong, to compare with. */
export const ALL_HELD: Verdict = {
  stateDifferences: [],
  outsidePlan: [],
  repeatedNotices: [],
  missingNotices: [],
  claimsNotBorneOut: [],
};
