import { TagUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { seedDemoAccount } from '../../scripts/demo-account.ts';
import type { SentEmail } from '../../scripts/emulator/index.ts';
import { addDays } from '../../shared/kernel/time.ts';
import { deactivatedTag, deactivatedValue, noticeTag } from '../../shared/key-enforcement/key-records.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { captureAuditEvents } from '../helpers/audit-capture.ts';
import { captureEmbeddedMetrics } from '../helpers/embedded-metrics.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceKeysHandler } from '../helpers/lambda.ts';

const { endpoint, control } = useEmulator();

const SETTINGS = {
  SENDER_EMAIL: 'key-hygiene@example.com',
  SECURITY_TEAM_EMAILS: 'security-team@example.com',
  EMAIL_DOMAIN: 'example.com',
  EVENT_BUS_NAME: 'security-audit',
  POWERTOOLS_METRICS_DISABLED: 'false',
};

async function verifySender(): Promise<void> {
  const ses = new SESv2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: SETTINGS.SENDER_EMAIL }));
}

function mailsTo(mails: SentEmail[], address: string): string[] {
  return mails
    .filter((mail) => mail.kind === 'raw' && mail.destinations.includes(address))
    .map((mail) => (mail.kind === 'raw' ? mail.rawData.replace(/\r?\n[ \t]+/g, ' ') : ''));
}

// The self-service policy lets a user re-activate their own key: every morning, to escape the deletion.
describe('a key re-activated by its owner after enforceKeys deactivated it', () => {
  it('is deactivated again each night, reported as critical, its owner told once, and deleted on its original date', async () => {
    await verifySender();
    const demo = await seedDemoAccount(iamClient(), control, new Date());
    const { userName } = demo.users.overdue;
    const accessKeyId = demo.users.overdue.keys[0]?.accessKeyId ?? '';
    const owner = `${userName}@example.com`;
    const reactivate = () =>
      iamClient().send(
        new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Active' }),
      );
    const tagsNow = async () => (await snapshotAccount(iamClient()))[userName]?.tags ?? {};
    const statusNow = async () =>
      (await snapshotAccount(iamClient()))[userName]?.keys.find((key) => key.accessKeyId === accessKeyId)
        ?.status ?? 'deleted';

    // Night 1: deactivated, and the record confirmed.
    await (await loadEnforceKeysHandler(SETTINGS))({});
    const firstRecord = (await tagsNow())[deactivatedTag(accessKeyId)] ?? '';
    expect(firstRecord).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z confirmed$/);
    const firstDeactivation = new Date(firstRecord.replace(' confirmed', ''));

    // Morning: the owner re-activates it. Night 2: deactivated again at once, the record unchanged.
    await reactivate();
    const capture = await captureAuditEvents(endpoint);
    const night2 = await captureEmbeddedMetrics(async () => (await loadEnforceKeysHandler(SETTINGS))({}));
    const summary = night2.outcome.status === 'fulfilled' ? night2.outcome.value : undefined;
    expect(await statusNow()).toBe('Inactive');
    expect((await tagsNow())[deactivatedTag(accessKeyId)]).toBe(firstRecord);
    expect(summary?.keys.find((key) => key.accessKeyId === accessKeyId)).toMatchObject({
      decision: 'deactivate',
      outcome: 'done',
      reason: expect.stringContaining('re-activated after key-hygiene deactivated it on'),
    });
    expect(summary?.findings).toEqual([
      expect.objectContaining({
        severity: 'critical',
        subject: userName,
        message: expect.stringContaining(`Access key ${accessKeyId} was re-activated`),
      }),
    ]);
    expect(night2.records.find((entry) => 'CriticalFindings' in entry)).toMatchObject({
      CriticalFindings: 1,
    });
    const { events } = await capture.received(2);
    expect(events.map((event) => event['detail-type'])).toContain('AccessKeyReactivationFound');
    expect((await tagsNow())[noticeTag(accessKeyId)]).toBe('reactivated');

    // Night 3, after another re-activation: deactivated again, and no mail about it.
    await reactivate();
    await (await loadEnforceKeysHandler(SETTINGS))({});
    expect(await statusNow()).toBe('Inactive');
    const toOwner = mailsTo(await control.sentEmails(), owner);
    expect(
      toOwner.filter((mail) => mail.includes('was re-activated and has been deactivated again')),
    ).toHaveLength(1);
    expect(toOwner).toHaveLength(2);

    // The grace period counts from night 1: moved back 30 days, as if the month had passed while the owner
    // re-activated the key every morning. Active on its deletion night, it is deleted all the same.
    await iamClient().send(
      new TagUserCommand({
        UserName: userName,
        Tags: [
          {
            Key: deactivatedTag(accessKeyId),
            Value: deactivatedValue(addDays(firstDeactivation, -30), true),
          },
        ],
      }),
    );
    await reactivate();
    const last = await (await loadEnforceKeysHandler(SETTINGS))({});
    expect(await statusNow()).toBe('deleted');
    expect(await tagsNow()).toEqual({});
    expect(last.keys.find((key) => key.accessKeyId === accessKeyId)).toMatchObject({
      decision: 'delete',
      outcome: 'done',
    });
  });

  it('is not taken for a re-activation when the deactivation was recorded but never happened', async () => {
    const demo = await seedDemoAccount(iamClient(), control, new Date());
    const { userName } = demo.users.overdue;
    const accessKeyId = demo.users.overdue.keys[0]?.accessKeyId ?? '';
    // What a run killed between writing the record and deactivating leaves: an active key, unconfirmed record.
    await iamClient().send(
      new TagUserCommand({
        UserName: userName,
        Tags: [
          { Key: deactivatedTag(accessKeyId), Value: deactivatedValue(addDays(new Date(), -40), false) },
        ],
      }),
    );
    const started = new Date();
    const summary = await (await loadEnforceKeysHandler())({});
    const record = (await snapshotAccount(iamClient()))[userName]?.tags[deactivatedTag(accessKeyId)] ?? '';

    expect(summary.findings).toEqual([]);
    expect(summary.keys.find((key) => key.accessKeyId === accessKeyId)).toMatchObject({
      decision: 'deactivate',
      reason: 'active key 120 days old, limit 90: deactivate',
      outcome: 'done',
    });
    // A fresh record: the grace period starts tonight, not 40 days ago.
    expect(Date.parse(record.replace(' confirmed', ''))).toBeGreaterThanOrEqual(started.getTime());
  });
});
