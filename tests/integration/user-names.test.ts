import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/kernel/time.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforceKeysHandler } from '../helpers/lambda.ts';

const { endpoint, control } = useEmulator();

const SETTINGS = {
  // Overdue keys are deactivated tonight, not first warned: this test is about names, not notices.
  KEY_FIRST_NOTICE_DAYS: '0',
  SENDER_EMAIL: 'key-hygiene@example.com',
  SECURITY_TEAM_EMAILS: 'security-team@example.com',
  EMAIL_DOMAIN: 'example.com',
};

// Every character IAM allows in a user name: letters, digits and + = , . @ - _. The emulator writes them
// into the credential report unquoted, so a comma also splits the report's row.
const USERS = [
  { userName: 'a+b=c', mailedAt: 'a+b=c@example.com' },
  { userName: 'first.last', mailedAt: 'first.last@example.com' },
  { userName: 'x_y-z', mailedAt: 'x_y-z@example.com' },
  { userName: 'jane@team.example', mailedAt: 'jane@team.example' },
  { userName: 'dev,ops', mailedAt: undefined },
  { userName: 'a@x.example,b@y.example', mailedAt: undefined },
  { userName: 'a..b', mailedAt: undefined },
] as const;

async function seedOverdueKey(userName: string): Promise<string> {
  await iamClient().send(new CreateUserCommand({ UserName: userName }));
  const created = await iamClient().send(new CreateAccessKeyCommand({ UserName: userName }));
  const accessKeyId = created.AccessKey?.AccessKeyId ?? '';
  await control.backdateAccessKey({ userName, accessKeyId, createDate: addDays(new Date(), -120) });
  return accessKeyId;
}

describe('user names with every character IAM allows, through enforceKeys', () => {
  it('enforces each, mails each at one address or lists it as unreachable, never splitting a name', async () => {
    await control.reset();
    const ses = new SESv2Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: SETTINGS.SENDER_EMAIL }));
    const keys = new Map<string, string>();
    for (const { userName } of USERS) keys.set(userName, await seedOverdueKey(userName));

    const summary = await (await loadEnforceKeysHandler(SETTINGS))({});
    const after = await snapshotAccount(iamClient());
    const mails = await control.sentEmails();
    // One entry per mail and recipient (moto lists a raw mail's destinations once per header and envelope).
    const recipients = mails.flatMap((mail) => (mail.kind === 'raw' ? [...new Set(mail.destinations)] : []));

    expect(summary.failures).toEqual([]);
    expect(summary.findings).toEqual([]);
    for (const { userName, mailedAt } of USERS) {
      expect(
        after[userName]?.keys.map((key) => [key.accessKeyId, key.status]),
        userName,
      ).toEqual([[keys.get(userName), 'Inactive']]);
      expect(
        summary.keys.find((row) => row.userName === userName),
        userName,
      ).toMatchObject({
        decision: 'deactivate',
        outcome: 'done',
      });
      const owner = summary.notifications.owners.find((entry) => entry.userName === userName);
      if (mailedAt === undefined) {
        expect(owner, userName).toMatchObject({ status: 'unreachable' });
        expect(owner?.detail ?? '', userName).toContain('is not a usable email address');
      } else {
        expect(owner, userName).toMatchObject({ status: 'sent', address: mailedAt });
        expect(
          recipients.filter((address) => address === mailedAt),
          userName,
        ).toHaveLength(1);
      }
    }
    // Nothing went to any part of a name split at its comma or its @.
    expect([...new Set(recipients)].sort()).toEqual(
      [
        ...USERS.flatMap((user) => (user.mailedAt === undefined ? [] : [user.mailedAt])),
        'security-team@example.com',
      ].sort(),
    );
    // The digest lists the unreachable owners by their whole names.
    const digest = mails.find(
      (mail) => mail.kind === 'raw' && mail.destinations.includes('security-team@example.com'),
    );
    const digestText = digest?.kind === 'raw' ? digest.rawData : '';
    expect(digestText).toContain('dev,ops');
  });
});
