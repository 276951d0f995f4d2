import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetUserCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { EMAIL_TAG, seedDemoAccount } from '../../scripts/demo-account.ts';
import { EmulatorControlError, startEmulator } from '../../scripts/emulator/index.ts';
import { KEY_ENFORCEMENT_DEFAULTS } from '../../shared/key-enforcement/config.ts';
import { deactivatedTag, deactivatedValue, noticeTag } from '../../shared/key-enforcement/key-records.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-03-15T09:30:45.678Z');

const { endpoint, control } = useEmulator();
const iam = iamClient();

async function createUserWithKey(userName: string): Promise<string> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const created = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const accessKeyId = created.AccessKey?.AccessKeyId;
  if (accessKeyId === undefined) throw new Error('CreateAccessKey returned no key id');
  return accessKeyId;
}

async function credentialReport(client: IAMClient): Promise<Map<string, Record<string, string>>> {
  await client.send(new GenerateCredentialReportCommand({}));
  const report = await client.send(new GetCredentialReportCommand({}));
  // moto's report has no quoted fields, so a plain split reads it.
  const [header = '', ...lines] = new TextDecoder().decode(report.Content).trim().split('\n');
  const columns = header.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));
  });
  return new Map(rows.map((row) => [row.user ?? '', row]));
}

/** The report's date format: whole seconds with an explicit +00:00 offset. */
function reportDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function daysBefore(days: number): Date {
  return new Date(Math.floor((NOW.getTime() - days * DAY_MS) / 1000) * 1000);
}

describe('backdating an access key', () => {
  it('shows the backdated creation and last use in ListAccessKeys and GetAccessKeyLastUsed', async () => {
    const accessKeyId = await createUserWithKey('backdated');
    await control.backdateAccessKey({
      userName: 'backdated',
      accessKeyId,
      createDate: new Date('2025-11-15T09:30:45.678Z'),
      lastUsed: { date: new Date('2026-03-12T23:59:59.999Z'), service: 'sts', region: 'eu-west-1' },
    });

    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'backdated' }));
    expect(listed.AccessKeyMetadata?.map((key) => key.CreateDate?.toISOString())).toEqual([
      '2025-11-15T09:30:45.000Z',
    ]);
    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    expect(lastUsed.AccessKeyLastUsed).toEqual({
      LastUsedDate: new Date('2026-03-12T23:59:59.000Z'),
      ServiceName: 'sts',
      Region: 'eu-west-1',
    });
  });

  it('shows the backdated instants in the credential report, to the second', async () => {
    const firstKey = await createUserWithKey('reported');
    const secondKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reported' }))).AccessKey
      ?.AccessKeyId;
    if (secondKey === undefined) throw new Error('CreateAccessKey returned no key id');
    await control.backdateAccessKey({
      userName: 'reported',
      accessKeyId: firstKey,
      createDate: daysBefore(5),
      lastUsed: { date: daysBefore(1) },
    });
    await control.backdateAccessKey({
      userName: 'reported',
      accessKeyId: secondKey,
      createDate: daysBefore(120),
    });

    const row = (await credentialReport(iam)).get('reported');
    expect(row).toMatchObject({
      access_key_1_active: 'true',
      access_key_1_last_rotated: reportDate(daysBefore(5)),
      access_key_1_last_used_date: reportDate(daysBefore(1)),
      access_key_2_active: 'true',
      access_key_2_last_rotated: reportDate(daysBefore(120)),
      access_key_2_last_used_date: 'N/A',
    });
    const rotated = new Date(row?.access_key_2_last_rotated ?? '');
    expect(NOW.getTime() - rotated.getTime()).toBe(120 * DAY_MS + 678);
  });

  it('reads a key backdated without a last use as never used', async () => {
    const accessKeyId = await createUserWithKey('never-used');
    await control.backdateAccessKey({ userName: 'never-used', accessKeyId, createDate: daysBefore(30) });

    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    expect(lastUsed.AccessKeyLastUsed?.LastUsedDate).toBeUndefined();
  });

  it('refuses an unknown user or key with 404 and a use before creation with 400', async () => {
    const accessKeyId = await createUserWithKey('known');
    const backdate = (userName: string, keyId: string, lastUsed?: { date: Date }) =>
      control.backdateAccessKey({
        userName,
        accessKeyId: keyId,
        createDate: daysBefore(10),
        ...(lastUsed && { lastUsed }),
      });

    await expect(backdate('nobody', accessKeyId)).rejects.toMatchObject({
      name: 'EmulatorControlError',
      status: 404,
      message: expect.stringContaining("no IAM user 'nobody'"),
    });
    await expect(backdate('known', 'AKIADOESNOTEXIST000')).rejects.toBeInstanceOf(EmulatorControlError);
    await expect(backdate('known', accessKeyId, { date: daysBefore(11) })).rejects.toMatchObject({
      status: 400,
    });
  });
});

describe('seeding users in bulk', () => {
  it('creates users with their tags and dated keys, as the API and the credential report show them', async () => {
    const seeded = await control.seedUsers([
      {
        userName: 'rotating',
        tags: { team: 'data', email: 'ria@example.com' },
        keys: [
          { status: 'Inactive', createDate: daysBefore(200) },
          {
            createDate: daysBefore(3),
            lastUsed: { date: daysBefore(1), service: 'sts', region: 'eu-west-1' },
          },
        ],
      },
      { userName: 'console-only' },
    ]);

    expect(seeded).toEqual([
      {
        userName: 'rotating',
        accessKeyIds: [expect.stringMatching(/^AKIA/), expect.stringMatching(/^AKIA/)],
      },
      { userName: 'console-only', accessKeyIds: [] },
    ]);
    const [oldKey, newKey] = seeded[0]?.accessKeyIds ?? [];
    const users = await iam.send(new ListUsersCommand({}));
    expect(users.Users?.map((user) => user.UserName)).toEqual(['rotating', 'console-only']);
    const tags = await iam.send(new ListUserTagsCommand({ UserName: 'rotating' }));
    expect(tags.Tags).toEqual([
      { Key: 'team', Value: 'data' },
      { Key: 'email', Value: 'ria@example.com' },
    ]);
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'rotating' }));
    expect(keys.AccessKeyMetadata?.map((key) => [key.AccessKeyId, key.Status, key.CreateDate])).toEqual([
      [oldKey, 'Inactive', daysBefore(200)],
      [newKey, 'Active', daysBefore(3)],
    ]);
    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: newKey }));
    expect(lastUsed.AccessKeyLastUsed).toEqual({
      LastUsedDate: daysBefore(1),
      ServiceName: 'sts',
      Region: 'eu-west-1',
    });
    const row = (await credentialReport(iam)).get('rotating');
    expect(row).toMatchObject({
      access_key_1_active: 'false',
      access_key_1_last_rotated: reportDate(daysBefore(200)),
      access_key_2_active: 'true',
      access_key_2_last_rotated: reportDate(daysBefore(3)),
      access_key_2_last_used_date: reportDate(daysBefore(1)),
      // A key cannot be older than its user.
      user_creation_time: reportDate(daysBefore(200)),
    });
  });

  // Each batch starts with a good user, to show that a refused batch creates none of its users.
  it.each([
    ['an existing user', [{ userName: 'taken' }], 409, "users[1].userName 'taken' already exists"],
    [
      'a user twice in one batch',
      [{ userName: 'twice' }, { userName: 'twice' }],
      409,
      "users[2].userName 'twice' already exists",
    ],
    [
      'a user name IAM refuses',
      [{ userName: 'has space' }],
      400,
      'users[1].userName must be an IAM user name',
    ],
    [
      'a use before the creation',
      [{ userName: 'early', keys: [{ createDate: daysBefore(5), lastUsed: { date: daysBefore(6) } }] }],
      400,
      'users[1].keys[0].lastUsed.date is before createDate',
    ],
    [
      'three keys',
      [{ userName: 'greedy', keys: [1, 2, 3].map((days) => ({ createDate: daysBefore(days) })) }],
      400,
      'users[1].keys must be an array of at most 2 keys',
    ],
  ])(
    'refuses a batch with %s, naming it, and creates none of the batch',
    async (_, batch, status, message) => {
      await control.seedUsers([{ userName: 'taken' }]);

      await expect(control.seedUsers([{ userName: 'innocent' }, ...batch])).rejects.toMatchObject({
        name: 'EmulatorControlError',
        status,
        message: expect.stringContaining(message),
      });
      const users = await iam.send(new ListUsersCommand({}));
      expect(users.Users?.map((user) => user.UserName)).toEqual(['taken']);
    },
  );
});

describe('counting served requests', () => {
  const events = new EventBridgeClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });

  it('counts AWS requests by service and action, errors apart, and not its own control requests', async () => {
    await control.seedUsers([{ userName: 'seeded' }]);
    await control.clearServedRequests();

    await iam.send(new ListUsersCommand({}));
    await iam.send(new ListUsersCommand({}));
    await iam.send(new CreateUserCommand({ UserName: 'created' }));
    await expect(iam.send(new GetUserCommand({ UserName: 'nobody' }))).rejects.toThrow();
    await events.send(
      new PutEventsCommand({ Entries: [{ Source: 'test', DetailType: 'Counted', Detail: '{}' }] }),
    );
    await control.seedUsers([{ userName: 'not-counted' }]);
    await control.sentEmails();

    expect(await control.servedRequests()).toEqual([
      { service: 'events', action: 'PutEvents', count: 1, errors: 0, totalMs: expect.any(Number) },
      { service: 'iam', action: 'CreateUser', count: 1, errors: 0, totalMs: expect.any(Number) },
      { service: 'iam', action: 'GetUser', count: 1, errors: 1, totalMs: expect.any(Number) },
      { service: 'iam', action: 'ListUsers', count: 2, errors: 0, totalMs: expect.any(Number) },
    ]);
  });

  it('starts counting afresh when cleared and when the emulator is reset', async () => {
    await iam.send(new ListUsersCommand({}));
    await control.clearServedRequests();
    expect(await control.servedRequests()).toEqual([]);

    await iam.send(new ListUsersCommand({}));
    expect((await control.servedRequests()).map((entry) => entry.count)).toEqual([1]);
    await control.reset();
    expect(await control.servedRequests()).toEqual([]);
  });
});

describe('the emulator', () => {
  it('stubs the AWS environment to point at itself during each test', () => {
    expect(process.env.AWS_ENDPOINT_URL).toBe(endpoint);
    expect(process.env.AWS_REGION).toBe('us-east-1');
  });

  it('empties the account on reset', async () => {
    await createUserWithKey('to-be-forgotten');
    await control.reset();

    const users = await iam.send(new ListUsersCommand({}));
    expect(users.Users).toEqual([]);
    expect((await credentialReport(iam)).size).toBe(0);
  });

  it('lists emails sent through SES v2, simple and raw', async () => {
    const sesV2 = async (path: string, body: unknown) => {
      const response = await fetch(new URL(path, endpoint), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // moto routes by the credential scope and does not check the signature.
          authorization:
            'AWS4-HMAC-SHA256 Credential=testing/20260315/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
    };
    await sesV2('/v2/email/identities', { EmailIdentity: 'security@example.com' });
    await sesV2('/v2/email/outbound-emails', {
      FromEmailAddress: 'security@example.com',
      Destination: { ToAddresses: ['bob@example.com'], CcAddresses: ['team@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Your access key was deactivated' },
          Body: { Text: { Data: 'text part' }, Html: { Data: '<p>html part</p>' } },
        },
      },
    });
    const mime = 'Subject: raw\r\nFrom: security@example.com\r\nTo: eve@example.com\r\n\r\nhello';
    await sesV2('/v2/email/outbound-emails', {
      FromEmailAddress: 'security@example.com',
      Destination: { ToAddresses: ['eve@example.com'] },
      Content: { Raw: { Data: Buffer.from(mime).toString('base64') } },
    });

    expect(await control.sentEmails()).toEqual([
      {
        kind: 'simple',
        id: expect.any(String),
        source: 'security@example.com',
        destinations: { ToAddresses: ['bob@example.com'], CcAddresses: ['team@example.com'] },
        subject: 'Your access key was deactivated',
        body: '<p>html part</p>',
      },
      {
        kind: 'raw',
        id: expect.any(String),
        source: 'security@example.com',
        // moto appends the MIME To/Cc/Bcc addresses to the request's Destination.
        destinations: ['eve@example.com', 'eve@example.com'],
        rawData: mime,
      },
    ]);
    await control.reset();
    expect(await control.sentEmails()).toEqual([]);
  });

  it('still lists sent emails once an IAM user has been deleted (moto 5.2 data.json answers 500 then)', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'developers' }));
    await iam.send(new CreateUserCommand({ UserName: 'short-lived' }));
    await iam.send(new AddUserToGroupCommand({ UserName: 'short-lived', GroupName: 'developers' }));
    await iam.send(new RemoveUserFromGroupCommand({ UserName: 'short-lived', GroupName: 'developers' }));
    await iam.send(new DeleteUserCommand({ UserName: 'short-lived' }));
    const ses = new SESv2Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'security@example.com' }));
    const mime = 'Subject: after\r\nFrom: security@example.com\r\nTo: eve@example.com\r\n\r\nhello';
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'security@example.com',
        Destination: { ToAddresses: ['eve@example.com'] },
        Content: { Raw: { Data: Buffer.from(mime) } },
      }),
    );

    expect(await control.sentEmails()).toEqual([
      expect.objectContaining({ kind: 'raw', source: 'security@example.com', rawData: mime }),
    ]);
  });

  it('makes an AWS managed policy exist on request, attachable like the real one', async () => {
    const arn = await control.addAwsManagedPolicy('IAMUserChangePassword');
    await iam.send(new CreateUserCommand({ UserName: 'new-hire' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'new-hire', PolicyArn: arn }));

    expect(arn).toBe('arn:aws:iam::aws:policy/IAMUserChangePassword');
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'new-hire' }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'IAMUserChangePassword', PolicyArn: arn }]);
  });

  it('refuses an AWS managed policy it does not know with 404', async () => {
    await expect(control.addAwsManagedPolicy('NoSuchPolicy')).rejects.toMatchObject({
      name: 'EmulatorControlError',
      status: 404,
    });
  });

  it('runs beside another emulator on its own port and stops cleanly', async () => {
    const second = await startEmulator({ log: () => {} });
    try {
      expect(second.endpoint).not.toBe(endpoint);
      await createUserWithKey('only-in-the-first');
      const users = await iamClient(second.endpoint).send(new ListUsersCommand({}));
      expect(users.Users).toEqual([]);
    } finally {
      await second.stop();
    }
    await expect(fetch(new URL('/moto-api/data.json', second.endpoint))).rejects.toThrow();
  });
});

describe('seedDemoAccount', () => {
  it('creates every demo user with the tags, key statuses and dates it describes', async () => {
    const account = await seedDemoAccount(iam, control, NOW);
    const users = Object.values(account.users);
    expect(users.length).toBeGreaterThanOrEqual(12);

    const listed = await iam.send(new ListUsersCommand({}));
    expect(listed.Users?.map((user) => user.UserName).sort()).toEqual(
      users.map((user) => user.userName).sort(),
    );
    for (const user of users) {
      const tags = await iam.send(new ListUserTagsCommand({ UserName: user.userName }));
      expect(Object.fromEntries(tags.Tags?.map((tag) => [tag.Key, tag.Value]) ?? [])).toEqual(user.tags);
      const keys = await iam.send(new ListAccessKeysCommand({ UserName: user.userName }));
      expect(keys.AccessKeyMetadata?.map((key) => [key.AccessKeyId, key.Status, key.CreateDate])).toEqual(
        user.keys.map((key) => [key.accessKeyId, key.status, key.createDate]),
      );
      for (const key of user.keys) {
        const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId }));
        expect(lastUsed.AccessKeyLastUsed?.LastUsedDate).toEqual(key.lastUsed);
      }
    }
  });

  it('backdates each scenario relative to now', async () => {
    const { users } = await seedDemoAccount(iam, control, NOW);
    const ageInDays = (date: Date | undefined) =>
      Math.round((NOW.getTime() - (date?.getTime() ?? Number.NaN)) / DAY_MS);

    expect(users.fresh.keys.map((key) => [ageInDays(key.createDate), ageInDays(key.lastUsed)])).toEqual([
      [10, 1],
    ]);
    expect(ageInDays(users.nearlyDue.keys[0]?.createDate)).toBe(80);
    expect(ageInDays(users.dueTomorrow.keys[0]?.createDate)).toBe(89);
    expect(ageInDays(users.overdue.keys[0]?.createDate)).toBe(120);
    expect(users.twoKeys.keys.map((key) => [ageInDays(key.createDate), key.expected])).toEqual([
      [5, 'none'],
      [200, 'deactivate'],
    ]);
    expect(users.exempt.tags).toEqual({ [KEY_ENFORCEMENT_DEFAULTS.exemptTag]: 'true' });
    // Earlier runs warned the owners of the overdue keys (the service has been looking after this account).
    expect(users.exemptionExpired.tags).toEqual({
      [KEY_ENFORCEMENT_DEFAULTS.exemptTag]: '2026-03-05',
      [noticeTag(users.exemptionExpired.keys[0]?.accessKeyId ?? '')]: 'warning-1',
    });
    expect(users.exemptionFuture.tags).toEqual({ [KEY_ENFORCEMENT_DEFAULTS.exemptTag]: '2026-04-14' });
    expect(users.deactivatedByHand).toMatchObject({ tags: {}, keys: [{ status: 'Inactive' }] });
    for (const [user, days] of [
      [users.deactivatedGraceOver, 40],
      [users.deactivatedInGrace, 10],
    ] as const) {
      const [key] = user.keys;
      expect(key?.status).toBe('Inactive');
      expect(user.tags[deactivatedTag(key?.accessKeyId ?? '')]).toBe(
        deactivatedValue(daysBefore(days), true),
      );
    }
    expect(users.consoleOnly).toMatchObject({ keys: [], hasPassword: true });
    expect(users.withEmail.tags).toEqual({
      [EMAIL_TAG]: 'emma@example.com',
      [noticeTag(users.withEmail.keys[0]?.accessKeyId ?? '')]: 'warning-1',
    });
    expect(users.overdue.tags).toEqual({
      [noticeTag(users.overdue.keys[0]?.accessKeyId ?? '')]: 'warning-1',
    });
    expect(users.dueTomorrow.tags).toEqual({
      [noticeTag(users.dueTomorrow.keys[0]?.accessKeyId ?? '')]: 'warning-7',
    });

    const report = await credentialReport(iam);
    expect(report.get(users.twoKeys.userName)).toMatchObject({
      access_key_1_last_rotated: reportDate(daysBefore(5)),
      access_key_2_last_rotated: reportDate(daysBefore(200)),
    });
    expect(report.get(users.deactivatedByHand.userName)).toMatchObject({
      access_key_1_active: 'false',
      access_key_1_last_rotated: reportDate(daysBefore(200)),
    });
    expect(report.get(users.consoleOnly.userName)).toMatchObject({
      password_enabled: 'true',
      access_key_1_last_rotated: 'N/A',
    });
  });

  it('refuses to seed an account that already holds the demo users', async () => {
    await seedDemoAccount(iam, control, NOW);
    await expect(seedDemoAccount(iam, control, NOW)).rejects.toMatchObject({ name: 'DemoAccountError' });
  });
});
