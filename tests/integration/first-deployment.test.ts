import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SentEmail } from '../../scripts/emulator/index.ts';
import { addDays, isoDay } from '../../shared/kernel/time.ts';
import { deactivateOnTag } from '../../shared/key-enforcement/key-records.ts';
import type { KeyEnforcementSummary } from '../../shared/key-enforcement/types.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { setClock } from '../helpers/clock.ts';
import { captureEmbeddedMetrics } from '../helpers/embedded-metrics.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceKeysHandler } from '../helpers/lambda.ts';
import { parseMail } from '../helpers/mime.ts';

const { endpoint, control } = useEmulator();
afterEach(() => {
  vi.useRealTimers();
});

const SECURITY_TEAM = 'security-team@example.com';
const SETTINGS = {
  KEY_FIRST_NOTICE_DAYS: '3',
  MAX_DEACTIVATIONS_PER_NIGHT: '10',
  MAX_DELETIONS_PER_NIGHT: '5',
  SENDER_EMAIL: 'key-hygiene@example.com',
  SECURITY_TEAM_EMAILS: SECURITY_TEAM,
  EMAIL_DOMAIN: 'example.com',
  MAIL_MAX_PER_SECOND: '1000',
};
// Tonight's nightly run, 03:00 UTC; night k is k days later.
const TONIGHT = new Date(`${isoDay(new Date())}T03:00:00.000Z`);
const night = (k: number) => addDays(TONIGHT, k);
const day = (k: number) => isoDay(night(k));

/** 30 owners of overdue keys never warned (owner-00 the least overdue, 100 days old, owner-29 129 days), 5 fresh. */
async function seedFirstDeployment(): Promise<Map<string, string>> {
  const ses = new SESv2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: SETTINGS.SENDER_EMAIL }));
  const owners = Array.from({ length: 30 }, (_, index) => ({
    userName: `owner-${String(index).padStart(2, '0')}`,
    keys: [{ createDate: addDays(TONIGHT, -(100 + index)) }],
  }));
  const fresh = Array.from({ length: 5 }, (_, index) => ({
    userName: `fresh-${index}`,
    keys: [{ createDate: addDays(TONIGHT, -10) }],
  }));
  const seeded = await control.seedUsers([...owners, ...fresh]);
  return new Map(seeded.map((user) => [user.accessKeyIds[0] ?? '', user.userName]));
}

function text(mail: SentEmail): string {
  if (mail.kind !== 'raw') return mail.body;
  return parseMail(mail.rawData)
    .parts.filter((part) => part.contentType.startsWith('text/plain'))
    .map((part) => part.body)
    .join('\n');
}

function subject(mail: SentEmail): string {
  return mail.kind === 'raw' ? (parseMail(mail.rawData).headers.subject ?? '') : mail.subject;
}

const to = (mail: SentEmail) =>
  mail.kind === 'raw' ? [...new Set(mail.destinations)] : (mail.destinations.ToAddresses ?? []);

interface Night {
  summary: KeyEnforcementSummary;
  after: Awaited<ReturnType<typeof snapshotAccount>>;
  deactivated: string[];
  ownerMails: SentEmail[];
  digest: string;
}

describe('a first deployment on an account with a backlog of overdue keys never warned', () => {
  // Seven nights of the real handler against the emulator: slow on a busy machine, hence the timeout.
  it('warns every owner first, then deactivates at most the limit a night, the most overdue first, until none remain', {
    timeout: 600_000,
  }, async () => {
    const userOf = await seedFirstDeployment();
    const run = await loadEnforceKeysHandler(SETTINGS);
    const nights: Night[] = [];
    for (let k = 0; k <= 6; k += 1) {
      const before = await snapshotAccount(iamClient());
      const mailsBefore = (await control.sentEmails()).length;
      setClock(night(k));
      const summary = await run({});
      vi.useRealTimers();
      const after = await snapshotAccount(iamClient());
      const mails = (await control.sentEmails()).slice(mailsBefore);
      const deactivated = Object.entries(after).flatMap(([userName, user]) =>
        user.keys
          .filter((key) => key.status === 'Inactive')
          .filter(
            (key) =>
              before[userName]?.keys.find((old) => old.accessKeyId === key.accessKeyId)?.status === 'Active',
          )
          .map(() => userName),
      );
      const digests = mails.filter((mail) => to(mail).includes(SECURITY_TEAM));
      expect(digests).toHaveLength(1);
      nights.push({
        summary,
        after,
        deactivated: deactivated.sort(),
        ownerMails: mails.filter((mail) => !to(mail).includes(SECURITY_TEAM)),
        digest: `${subject(digests[0] as SentEmail)}\n${text(digests[0] as SentEmail)}`,
      });
    }
    const [first] = nights;
    if (first === undefined) throw new Error('no night ran');
    const owners = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, index) => `owner-${String(from + index).padStart(2, '0')}`);

    // Night 0: first notices only, each telling the night its key will be deactivated, 10 a night.
    expect(first.summary.decisions).toMatchObject({ deactivate: 0, warn: 30 });
    expect(first.deactivated).toEqual([]);
    expect(first.ownerMails).toHaveLength(30);
    const toldDay = new Map(
      first.ownerMails.map((mail) => {
        const match = /your AWS access key (AKIA\w+) will be deactivated on (\d{4}-\d{2}-\d{2})/.exec(
          subject(mail),
        );
        return [userOf.get(match?.[1] ?? '') ?? '', match?.[2] ?? ''];
      }),
    );
    expect(new Set(toldDay.keys())).toEqual(new Set(owners(0, 29)));
    for (const owner of owners(20, 29)) expect(toldDay.get(owner)).toBe(day(3));
    for (const owner of owners(10, 19)) expect(toldDay.get(owner)).toBe(day(4));
    for (const owner of owners(0, 9)) expect(toldDay.get(owner)).toBe(day(5));
    for (const [accessKeyId, owner] of userOf) {
      if (!owner.startsWith('owner-')) continue;
      expect(first.after[owner]?.tags[deactivateOnTag(accessKeyId)]).toBe(
        `${toldDay.get(owner)}T00:00:00.000Z`,
      );
    }
    expect(first.digest).toContain(
      `Deactivations: 0 due tonight, 0 within tonight's limit of 10 (MAX_DEACTIVATIONS_PER_NIGHT); 30 remain (30 waiting for the date told on first notice): at 10 a night the backlog clears on the night of ${day(5)}, unless more fall due.`,
    );

    // Then: nothing before the dates told; on them, at most the limit, the most overdue first.
    expect(nights.map((n) => n.deactivated)).toEqual([
      [],
      [],
      [],
      owners(20, 29),
      owners(10, 19),
      owners(0, 9),
      [],
    ]);
    expect(nights.map((n) => n.summary.budget.deactivate.remaining)).toEqual([30, 30, 30, 20, 10, 0, 0]);
    expect(nights.map((n) => n.summary.budget.deactivate.clearsOn)).toEqual([
      day(5),
      day(5),
      day(5),
      day(5),
      day(5),
      undefined,
      undefined,
    ]);
    expect(nights.every((n) => !n.summary.guard.tripped)).toBe(true);
    expect(nights[3]?.digest).toContain('10 deactivated');
    expect(nights[3]?.digest).toContain(
      `20 remain (20 waiting for the date told on first notice): at 10 a night the backlog clears on the night of ${day(5)}`,
    );
    expect(nights[4]?.digest).toContain('10 remain (10 waiting for the date told on first notice)');
    expect(nights[5]?.digest).toContain(
      "Deactivations: 10 due tonight, 10 within tonight's limit of 10 (MAX_DEACTIVATIONS_PER_NIGHT); none remain.",
    );
    // The fresh keys were never touched.
    const end = await snapshotAccount(iamClient());
    for (let index = 0; index < 5; index += 1) expect(end[`fresh-${index}`]?.keys[0]?.status).toBe('Active');
  });

  it('acts on none, mails no owner, and says why, when every key needs action at once', async () => {
    await seedFirstDeployment();
    const before = await snapshotAccount(iamClient());
    // A KEY_MAX_AGE_DAYS of 9 where 90 was meant: every key of the account is due at once.
    const handler = await loadEnforceKeysHandler({
      ...SETTINGS,
      KEY_MAX_AGE_DAYS: '9',
      KEY_WARNING_DAYS: '1',
      KEY_WARNING_NOTICE_DAYS: '1',
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    setClock(night(0));
    const { outcome, records } = await captureEmbeddedMetrics(() => handler({}));
    vi.useRealTimers();

    expect(outcome.status).toBe('fulfilled');
    const summary = (outcome as PromiseFulfilledResult<KeyEnforcementSummary>).value;
    expect(await snapshotAccount(iamClient())).toEqual(before);
    expect(summary.guard).toMatchObject({ tripped: true, keysNeedingAction: 35, keysInAccount: 35 });
    const mails = await control.sentEmails();
    expect(mails.map(to)).toEqual([[SECURITY_TEAM]]);
    const digest = `${subject(mails[0] as SentEmail)}\n${text(mails[0] as SentEmail)}`;
    expect(digest).toContain('GUARD TRIPPED');
    expect(digest).toContain(
      "35 of the account's 35 access keys need action tonight (0 deactivations, 0 deletions, 35 first notices): every key at once",
    );
    expect(records.find((entry) => 'GuardTrips' in entry)).toMatchObject({ GuardTrips: 1 });
  });
});
