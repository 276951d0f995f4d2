import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient, TagUserCommand, UntagUserCommand } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it, vi } from 'vitest';
import { type DemoAccount, seedDemoAccount } from '../../scripts/demo-account.ts';
import type { SentEmail } from '../../scripts/emulator/index.ts';
import { RECORD_TAG_KEY_PATTERNS } from '../../shared/key-enforcement/key-records.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceKeysHandler } from '../helpers/lambda.ts';
import { parseMail } from '../helpers/mime.ts';

const { endpoint, control } = useEmulator();

const MAIL = {
  SENDER_EMAIL: 'key-hygiene@example.com',
  SECURITY_TEAM_EMAILS: 'security-team@example.com',
  EMAIL_DOMAIN: 'example.com',
};

async function verifySender(address = MAIL.SENDER_EMAIL): Promise<void> {
  const ses = new SESv2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: address }));
}

/** A sent raw mail as text, with folded header lines unfolded. */
function rawText(mail: SentEmail): string {
  return mail.kind === 'raw' ? mail.rawData.replace(/\r?\n[ \t]+/g, ' ') : `${mail.subject}\n${mail.body}`;
}

function recipients(mail: SentEmail): string[] {
  return mail.kind === 'raw' ? [...new Set(mail.destinations)] : (mail.destinations.ToAddresses ?? []);
}

function mailTo(mails: SentEmail[], address: string): string[] {
  return mails.filter((mail) => recipients(mail).includes(address)).map(rawText);
}

describe('enforceKeys mail, read back from the emulated SES', () => {
  it('mails each affected owner once, naming each key, and the security team a digest with the key inventory', async () => {
    await verifySender();
    const demo: DemoAccount = await seedDemoAccount(iamClient(), control, new Date());
    const summary = await (await loadEnforceKeysHandler(MAIL))({});
    const mails = await control.sentEmails();

    const overdue = demo.users.overdue;
    const [bobMail] = mailTo(mails, `${overdue.userName}@example.com`);
    expect(bobMail).toContain(`Subject: Your AWS access key ${overdue.keys[0]?.accessKeyId} was deactivated`);
    expect(bobMail).toContain('From: key-hygiene@example.com');
    expect(bobMail).toContain('Content-Type: text/html');
    expect(bobMail).toContain('Content-Type: text/plain');

    // The email tag wins over EMAIL_DOMAIN.
    expect(mailTo(mails, demo.users.withEmail.tags.email ?? 'missing')).toHaveLength(1);
    const nearlyDue = mailTo(mails, `${demo.users.nearlyDue.userName}@example.com`)[0];
    expect(nearlyDue).toMatch(
      /Subject: Action needed: your AWS access key AKIA\w+ will be deactivated on \d{4}-\d{2}-\d{2}/,
    );
    // Exempt users and users with nothing due get no mail.
    expect(mailTo(mails, `${demo.users.exempt.userName}@example.com`)).toEqual([]);
    expect(mailTo(mails, `${demo.users.fresh.userName}@example.com`)).toEqual([]);

    const [digest] = mailTo(mails, 'security-team@example.com');
    expect(digest).toMatch(
      /Subject: \[key-hygiene\] Nightly report \d{4}-\d{2}-\d{2}, account 123456789012: 4 deactivated, 1 deleted, 2 warned/,
    );
    expect(digest).toMatch(/filename=key-inventory-\d{4}-\d{2}-\d{2}\.csv/);
    // The digest's table counts what the summary (and so the metrics) count.
    const digestText = parseMail(digest ?? '').parts.find((part) =>
      part.contentType.startsWith('text/plain'),
    );
    expect(summary.counts).toMatchObject({ deactivated: 4, deleted: 1, warned: 2, failures: 0 });
    expect(digestText?.body).toContain(
      'Deactivated 4, Deleted 1, Warned 2, Exempt 2, Held for review 0, Not needed (live check) 0, Failures 0',
    );
    expect(summary.notifications.digest.status).toBe('sent');
    expect(summary.notifications.owners.every((owner) => owner.status === 'sent')).toBe(true);

    // A rerun (or Lambda's retry) sends no owner notice again: only the digest.
    const before = mails.length;
    await (await loadEnforceKeysHandler(MAIL))({});
    const after = await control.sentEmails();
    expect(after.slice(before).map(recipients)).toEqual([['security-team@example.com']]);
  });

  it('tags and untags users only with the record tag keys its role allows', async () => {
    await verifySender();
    await seedDemoAccount(iamClient(), control, new Date());
    const run = await loadEnforceKeysHandler(MAIL);
    const send = vi.spyOn(IAMClient.prototype, 'send');
    let commands: unknown[];
    try {
      await run({});
    } finally {
      commands = send.mock.calls.map(([command]) => command);
      send.mockRestore();
    }

    const tagged = commands
      .filter((command) => command instanceof TagUserCommand)
      .flatMap((command) => command.input.Tags?.map((tag) => tag.Key ?? '') ?? []);
    const untagged = commands
      .filter((command) => command instanceof UntagUserCommand)
      .flatMap((command) => command.input.TagKeys ?? []);
    // The IAM StringLike patterns of policies/enforce-keys.json, as regular expressions.
    const allowed = RECORD_TAG_KEY_PATTERNS.map((pattern) => new RegExp(`^${pattern.replace('*', '.*')}$`));
    expect(tagged.length).toBeGreaterThan(0);
    expect(untagged.length).toBeGreaterThan(0);
    for (const key of [...tagged, ...untagged]) {
      expect(
        allowed.some((pattern) => pattern.test(key)),
        key,
      ).toBe(true);
    }
  });

  it('mails no owner in a dry run, and the digest says DRY RUN', async () => {
    await verifySender();
    await seedDemoAccount(iamClient(), control, new Date());
    await (await loadEnforceKeysHandler({ ...MAIL, DRY_RUN: 'true' }))({});
    const mails = await control.sentEmails();
    expect(mails.map(recipients)).toEqual([['security-team@example.com']]);
    expect(rawText(mails[0] as SentEmail)).toContain('Subject: [key-hygiene] DRY RUN: Nightly report');
  });

  it('skips mail with one warning when SENDER_EMAIL is not set, and still enforces', async () => {
    const demo = await seedDemoAccount(iamClient(), control, new Date());
    const summary = await (
      await loadEnforceKeysHandler({ SECURITY_TEAM_EMAILS: 'security-team@example.com' })
    )({});
    expect(await control.sentEmails()).toEqual([]);
    expect(summary.notifications.digest).toEqual({
      status: 'skipped',
      reason: 'SENDER_EMAIL is not set: no mail was sent',
    });
    const after = await snapshotAccount(iamClient());
    expect(after[demo.users.overdue.userName]?.keys[0]?.status).toBe('Inactive');
  });

  it('reports mail SES refuses and still enforces', async () => {
    const demo = await seedDemoAccount(iamClient(), control, new Date());
    // The sender identity is not verified: SES rejects every message.
    const summary = await (await loadEnforceKeysHandler(MAIL))({});
    expect(summary.outcomes.done).toBe(5);
    expect(summary.notifications.digest.status).toBe('failed');
    expect(summary.notifications.owners.length).toBeGreaterThan(0);
    expect(summary.notifications.owners.every((owner) => owner.status === 'failed')).toBe(true);
    const after = await snapshotAccount(iamClient());
    expect(after[demo.users.overdue.userName]?.keys[0]?.status).toBe('Inactive');

    // Nothing was recorded as sent, so the next night (sender fixed) sends the notices after all.
    await verifySender();
    const retry = await (await loadEnforceKeysHandler(MAIL))({});
    expect(retry.notifications.owners.filter((owner) => owner.status === 'sent').length).toBe(
      summary.notifications.owners.filter((owner) => owner.keys.some((key) => key.notice !== 'deleted'))
        .length,
    );
  });

  it('writes a copy of every mail to MAIL_OUTBOX_DIR', async () => {
    await verifySender();
    await seedDemoAccount(iamClient(), control, new Date());
    const dir = join(tmpdir(), `key-hygiene-outbox-${process.pid}-${Date.now()}`);
    await (await loadEnforceKeysHandler({ ...MAIL, MAIL_OUTBOX_DIR: dir }))({});
    const files = await readdir(dir);
    const mails = await control.sentEmails();
    expect(files.filter((file) => file.endsWith('.html'))).toHaveLength(mails.length);
    expect(files.filter((file) => file.endsWith('.eml'))).toHaveLength(mails.length);
    expect(files).toContain(`${String(mails.length).padStart(3, '0')}-security-team@example.com.html`);
  });
});
