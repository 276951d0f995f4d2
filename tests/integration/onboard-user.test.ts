import {
  CreateAccountAliasCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { RawSentEmail } from '../../scripts/emulator/index.ts';
import { type OnboardingAccount, seedOnboardingAccount } from '../../scripts/onboarding-account.ts';
import { ConfigError } from '../../shared/kernel/errors.ts';
import {
  InvalidOnboardingRequestError,
  OnboardingFailedError,
  UnknownGroupError,
  UserAlreadyExistsError,
} from '../../shared/onboarding/errors.ts';
import type { OnboardingResult } from '../../shared/onboarding/onboard-users.ts';
import { passwordPolicyViolations } from '../../shared/onboarding/password.ts';
import { ONBOARDED_BY_TAG, ONBOARDED_TAG } from '../../shared/onboarding/user-setup.ts';
import { captureAuditEvents } from '../helpers/audit-capture.ts';
import { captureEmbeddedMetrics } from '../helpers/embedded-metrics.ts';
import { emulatorClientConfig, iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadOnboardUserHandler } from '../helpers/lambda.ts';
import { serialise } from '../helpers/onboarding-deps.ts';
import { snapshotUsers } from '../helpers/user-snapshot.ts';

const { endpoint, control } = useEmulator();
const clientConfig = emulatorClientConfig(endpoint);
const iam = iamClient();
const ACCOUNT_ID = '123456789012';

const jane = {
  userName: 'jane.doe',
  email: 'jane.doe@example.com',
  groups: ['developers'],
  tags: { team: 'data' },
};
const john = { userName: 'john.roe', email: 'john.roe@example.com', groups: ['developers', 'analysts'] };
const ann = { userName: 'ann.lee', email: 'ann.lee@example.com' };

let seeded: OnboardingAccount;
let intercepted: MockInstance | undefined;
afterEach(() => {
  intercepted?.mockRestore();
  intercepted = undefined;
});
let settings: Record<string, string>;

beforeEach(async () => {
  seeded = await seedOnboardingAccount(clientConfig, control);
  // designers is allowed but never created: a request naming it passes the allow-list and fails the check.
  settings = {
    SELF_SERVICE_POLICY_ARN: seeded.selfServicePolicyArn,
    SENDER_EMAIL: seeded.sender,
    ALLOWED_GROUPS: 'developers,analysts,designers',
    ALLOWED_TAG_KEYS: 'team',
  };
});

async function rawMails(): Promise<RawSentEmail[]> {
  return (await control.sentEmails()).filter((mail): mail is RawSentEmail => mail.kind === 'raw');
}

/** The MIME text of a raw mail with quoted-printable soft breaks and escapes undone, for searching. */
function readable(mail: RawSentEmail): string {
  return mail.rawData
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

type IamCommand = Parameters<IAMClient['send']>[0];
type Send = (this: IAMClient, ...args: unknown[]) => Promise<unknown>;

/**
 * Lets every IAM request of every client (the handler's own included) pass through `hook` first, e.g. to
 * see what moto ignores or to change the account at an exact moment. Restore the returned spy afterwards.
 */
function interceptIamRequests(hook: (command: IamCommand) => Promise<void> | void): MockInstance {
  const original = IAMClient.prototype.send as unknown as Send;
  return vi.spyOn(IAMClient.prototype, 'send').mockImplementation(async function (
    this: IAMClient,
    ...args: unknown[]
  ) {
    await hook(args[0] as IamCommand);
    return original.apply(this, args);
  } as unknown as IAMClient['send']);
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof Error) return error;
    throw error;
  }
  return expect.unreachable('expected the invocation to fail');
}

describe('onboardUser against the emulated account', () => {
  it('creates a console user who must change the password, with groups, policies, tags and no keys', async () => {
    const onboard = await loadOnboardUserHandler(settings);

    const result = await onboard(jane, 'request-0001');

    const user = result.users[0];
    expect(result.users).toHaveLength(1);
    expect(user).toMatchObject({
      userName: 'jane.doe',
      userArn: `arn:aws:iam::${ACCOUNT_ID}:user/key-hygiene/jane.doe`,
      signInUrl: `https://${ACCOUNT_ID}.signin.aws.amazon.com/console`,
      groups: ['developers'],
      passwordResetRequired: true,
      welcomeMail: { status: 'sent' },
      auditEvent: { status: 'published' },
    });
    // No custom policy: AWS's default applies, which lets nobody change their own password.
    expect(user?.policyArns).toEqual([seeded.selfServicePolicyArn, seeded.changePasswordPolicyArn]);
    expect(user?.temporaryPassword).toHaveLength(16);
    expect(passwordPolicyViolations(user?.temporaryPassword ?? '', undefined)).toEqual([]);

    const after = await snapshotUsers(iam);
    expect(after['jane.doe']).toEqual({
      arn: `arn:aws:iam::${ACCOUNT_ID}:user/key-hygiene/jane.doe`,
      // The default USER_PATH: the role acts on users under it alone.
      path: '/key-hygiene/',
      permissionsBoundaryArn: undefined,
      tags: {
        team: 'data',
        email: 'jane.doe@example.com',
        [ONBOARDED_TAG]: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        [ONBOARDED_BY_TAG]: 'onboardUser request request-0001',
      },
      hasLoginProfile: true,
      groups: ['developers'],
      policyArns: [seeded.changePasswordPolicyArn, seeded.selfServicePolicyArn].sort(),
      accessKeys: 0,
    });
  });

  it('mails the new user a welcome, read back from the emulator, without the password', async () => {
    const onboard = await loadOnboardUserHandler(settings);

    const result = await onboard(jane);

    const mails = await rawMails();
    expect(mails).toHaveLength(1);
    const mail = mails[0] as RawSentEmail;
    expect(mail.source).toBe(seeded.sender);
    expect(mail.destinations).toContain('jane.doe@example.com');
    const text = readable(mail);
    expect(text).toContain('Subject: Your AWS console user jane.doe');
    expect(text).toContain('multipart/alternative');
    expect(text).toContain(`https://${ACCOUNT_ID}.signin.aws.amazon.com/console`);
    expect(text).toContain('Set up MFA');
    expect(text).toContain('Create access key');
    expect(text).not.toContain(result.users[0]?.temporaryPassword);
  });

  it('gives the sign-in URL with the account alias when there is one', async () => {
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-prod' }));
    const onboard = await loadOnboardUserHandler(settings);

    const result = await onboard(jane);

    expect(result.users[0]?.signInUrl).toBe('https://acme-prod.signin.aws.amazon.com/console');
    expect(readable((await rawMails())[0] as RawSentEmail)).toContain(
      'https://acme-prod.signin.aws.amazon.com/console',
    );
  });

  it('onboards a batch, each user with a password of its own and a welcome mail', async () => {
    const onboard = await loadOnboardUserHandler(settings);

    const result = await onboard({ users: [jane, john, ann] });

    expect(result.users.map((user) => user.userName)).toEqual(['jane.doe', 'john.roe', 'ann.lee']);
    expect(new Set(result.users.map((user) => user.temporaryPassword)).size).toBe(3);
    const after = await snapshotUsers(iam);
    expect(after['john.roe']?.groups).toEqual(['analysts', 'developers']);
    expect(after['ann.lee']?.groups).toEqual([]);
    expect(Object.values(after).every((user) => user.hasLoginProfile && user.accessKeys === 0)).toBe(true);
    const mails = await rawMails();
    expect(mails.map((mail) => mail.destinations[0])).toEqual([
      'jane.doe@example.com',
      'john.roe@example.com',
      'ann.lee@example.com',
    ]);
  });

  it('creates users under USER_PATH with the PERMISSIONS_BOUNDARY_ARN', async () => {
    const boundary = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'developer-boundary',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        }),
      }),
    );
    const boundaryArn = boundary.Policy?.Arn as string;
    // moto stores no boundary for users: the request itself is checked.
    const created: unknown[] = [];
    intercepted = interceptIamRequests((command) => {
      if (command instanceof CreateUserCommand) created.push(command.input);
    });
    const onboard = await loadOnboardUserHandler({
      ...settings,
      USER_PATH: '/people/',
      PERMISSIONS_BOUNDARY_ARN: boundaryArn,
    });

    const result = await onboard(jane);

    expect(result.users[0]?.userArn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/people/jane.doe`);
    expect((await snapshotUsers(iam))['jane.doe']?.path).toBe('/people/');
    expect(created).toEqual([
      expect.objectContaining({ UserName: 'jane.doe', Path: '/people/', PermissionsBoundary: boundaryArn }),
    ]);
  });

  it("follows the account's live password policy: its length, its symbols, its change-password setting", async () => {
    await iam.send(
      new UpdateAccountPasswordPolicyCommand({
        MinimumPasswordLength: 30,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        AllowUsersToChangePassword: true,
      }),
    );
    const onboard = await loadOnboardUserHandler(settings);

    const result = await onboard(jane);

    const password = result.users[0]?.temporaryPassword ?? '';
    expect(password).toHaveLength(30);
    expect(password).toMatch(/[!@#$%^&*()_+\-=[\]{}]/);
    expect(result.users[0]?.policyArns).toEqual([seeded.selfServicePolicyArn]);
    expect((await snapshotUsers(iam))['jane.doe']?.policyArns).toEqual([seeded.selfServicePolicyArn]);
  });

  it('publishes a UserOnboarded event on the configured bus, without the password', async () => {
    const capture = await captureAuditEvents(endpoint);
    const onboard = await loadOnboardUserHandler({ ...settings, EVENT_BUS_NAME: 'security-audit' });

    const result = await onboard({ users: [jane, ann] });

    const { bodies, events: received } = await capture.received(2);
    expect(received.map((event) => event.detail.userName).sort()).toEqual(['ann.lee', 'jane.doe']);
    expect(received.find((event) => event.detail.userName === 'jane.doe')?.detail).toMatchObject({
      userArn: `arn:aws:iam::${ACCOUNT_ID}:user/key-hygiene/jane.doe`,
      groups: ['developers'],
      passwordResetRequired: true,
      welcomeMail: 'sent',
    });
    for (const user of result.users) expect(bodies.join('\n')).not.toContain(user.temporaryPassword);
  });

  describe('embedded metrics', () => {
    const withMetrics = () => loadOnboardUserHandler({ ...settings, POWERTOOLS_METRICS_DISABLED: 'false' });

    it('counts every user of a request that succeeded as UsersOnboarded', async () => {
      const onboard = await withMetrics();

      const { outcome, records } = await captureEmbeddedMetrics(() => onboard({ users: [jane, john] }));

      expect(outcome.status).toBe('fulfilled');
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ UsersOnboarded: 2, OnboardingFailed: 0, service: 'key-hygiene' });
      expect(records[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe('KeyHygiene');
    });

    it('counts a refused request as OnboardingFailed and lets its error through', async () => {
      const onboard = await withMetrics();

      const { outcome, records } = await captureEmbeddedMetrics(() =>
        onboard({ ...jane, groups: ['designers'] }),
      );

      expect(outcome).toMatchObject({ status: 'rejected', reason: { name: UnknownGroupError.name } });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ UsersOnboarded: 0, OnboardingFailed: 1 });
    });
  });

  describe('mail that cannot be sent', () => {
    it('reports a skipped mail when SENDER_EMAIL is unset, and keeps the user', async () => {
      const { SENDER_EMAIL: _unset, ...withoutSender } = settings;
      const onboard = await loadOnboardUserHandler(withoutSender);

      const result = await onboard(jane);

      expect(result.users[0]?.welcomeMail).toEqual({
        status: 'skipped',
        reason: 'SENDER_EMAIL is not set: no mail was sent',
      });
      expect(Object.keys(await snapshotUsers(iam))).toEqual(['jane.doe']);
      expect(await rawMails()).toEqual([]);
    });

    it('reports a mail SES refuses (unverified sender), and keeps the user', async () => {
      const onboard = await loadOnboardUserHandler({ ...settings, SENDER_EMAIL: 'not-verified@example.com' });

      const result = await onboard(jane);

      expect(result.users[0]?.welcomeMail).toMatchObject({
        status: 'failed',
        error: expect.stringContaining('MessageRejected'),
      });
      expect((await snapshotUsers(iam))['jane.doe']?.hasLoginProfile).toBe(true);
    });
  });

  describe('changing nothing when refusing', () => {
    it('refuses a user who already exists, with a clear error, and changes nothing', async () => {
      const onboard = await loadOnboardUserHandler(settings);
      await onboard(jane);
      const before = await snapshotUsers(iam);
      const mailsBefore = (await rawMails()).length;

      const error = await failureOf(onboard({ ...jane, groups: ['analysts'], tags: { team: 'other' } }));

      // A fresh module graph per cold start: compare error classes by name.
      expect(error.name).toBe(UserAlreadyExistsError.name);
      expect(error.message).toBe(
        'User already exists; nothing was created: userName: the IAM user jane.doe already exists',
      );
      expect(await snapshotUsers(iam)).toEqual(before);
      expect(await rawMails()).toHaveLength(mailsBefore);
    });

    it('creates none of a batch when one of its users already exists', async () => {
      await (await loadOnboardUserHandler(settings))(ann);
      const before = await snapshotUsers(iam);

      const error = await failureOf((await loadOnboardUserHandler(settings))({ users: [jane, john, ann] }));

      expect(error.name).toBe(UserAlreadyExistsError.name);
      expect(error.message).toContain('users[2].userName: the IAM user ann.lee already exists');
      expect(await snapshotUsers(iam)).toEqual(before);
    });

    it('creates nothing when a group does not exist', async () => {
      const onboard = await loadOnboardUserHandler(settings);

      const error = await failureOf(
        onboard({ users: [jane, { ...john, groups: ['developers', 'designers'] }] }),
      );

      expect(error.name).toBe(UnknownGroupError.name);
      expect(error.message).toContain('users[1].groups[1]: the IAM group designers does not exist');
      expect(await snapshotUsers(iam)).toEqual({});
      expect(await rawMails()).toEqual([]);
    });

    it.each([
      [
        'an email with a line break',
        { ...jane, email: 'jane@example.com\r\nBcc: all@example.com' },
        'email: must not contain a line break',
      ],
      ['a user name with a space', { ...jane, userName: 'jane doe' }, 'userName: may hold only'],
      [
        'a tag with the aws: prefix',
        { ...jane, tags: { 'aws:team': 'x' } },
        'tags["aws:team"]: tag keys must not start with aws:',
      ],
      [
        'a batch with one bad user',
        { users: [jane, { ...john, email: 'john' }] },
        'users[1].email: must be an email address',
      ],
      [
        'a batch of eleven',
        { users: Array.from({ length: 11 }, (_, i) => ({ ...jane, userName: `u${i}` })) },
        'users: must hold at most 10 users',
      ],
    ])('refuses %s, naming the field, and creates nothing', async (_case, event, message) => {
      const onboard = await loadOnboardUserHandler(settings);

      const error = await failureOf(onboard(event));

      expect(error.name).toBe(InvalidOnboardingRequestError.name);
      expect(error.message).toContain(message);
      expect(await snapshotUsers(iam)).toEqual({});
      expect(await rawMails()).toEqual([]);
    });

    // The role refuses these too (the deployed policy names only the allowed groups and tag keys), but moto
    // evaluates no IAM policy: the handler's own refusal is what runs here.
    it.each([
      [
        'a group ALLOWED_GROUPS does not list',
        { ALLOWED_GROUPS: 'developers' },
        john,
        'groups[1]: is not an allowed group (ALLOWED_GROUPS: developers)',
      ],
      [
        'any group when ALLOWED_GROUPS is unset',
        { ALLOWED_GROUPS: '' },
        { ...jane, tags: {} },
        'groups[0]: is not an allowed group (ALLOWED_GROUPS: none)',
      ],
      [
        'a tag key ALLOWED_TAG_KEYS does not list',
        {},
        { ...jane, tags: { team: 'data', 'access-level': 'admin' } },
        'tags["access-level"]: is not an allowed tag key (ALLOWED_TAG_KEYS: team)',
      ],
      [
        'any tag when ALLOWED_TAG_KEYS is unset',
        { ALLOWED_TAG_KEYS: '' },
        jane,
        'tags.team: is not an allowed tag key (ALLOWED_TAG_KEYS: none)',
      ],
    ])('refuses %s, and creates nothing', async (_case, overrides, event, message) => {
      const before = await snapshotUsers(iam);
      const onboard = await loadOnboardUserHandler({ ...settings, ...overrides });

      const error = await failureOf(onboard(event));

      expect(error.name).toBe(InvalidOnboardingRequestError.name);
      expect(error.message).toContain(message);
      expect(await snapshotUsers(iam)).toEqual(before);
      expect(await rawMails()).toEqual([]);
    });

    it('refuses to start with USER_PATH=/, naming it: the role would act on every user', async () => {
      await expect(loadOnboardUserHandler({ ...settings, USER_PATH: '/' })).rejects.toMatchObject({
        name: ConfigError.name,
        message: expect.stringContaining('USER_PATH: must not be /'),
      });
    });

    it('refuses to start without SELF_SERVICE_POLICY_ARN, naming it', async () => {
      await expect(loadOnboardUserHandler({ SENDER_EMAIL: seeded.sender })).rejects.toMatchObject({
        name: ConfigError.name,
        message: expect.stringContaining('SELF_SERVICE_POLICY_ARN: must be set'),
      });
    });
  });

  describe('rolling back', () => {
    it('leaves no user behind when a step after CreateUser fails (a self-service policy that does not exist)', async () => {
      const missing = `arn:aws:iam::${ACCOUNT_ID}:policy/does-not-exist`;
      const onboard = await loadOnboardUserHandler({ ...settings, SELF_SERVICE_POLICY_ARN: missing });

      const error = await failureOf(onboard({ ...jane, groups: ['developers', 'analysts'] }));

      expect(error.name).toBe(OnboardingFailedError.name);
      expect(error.message).toContain(`Onboarding jane.doe failed at AttachUserPolicy jane.doe ${missing}`);
      expect(error.message).toContain('NoSuchEntity');
      expect((error as OnboardingFailedError).rollback).toEqual({
        undone: [
          'RemoveUserFromGroup jane.doe analysts',
          'RemoveUserFromGroup jane.doe developers',
          'DeleteLoginProfile jane.doe',
          'DeleteUser jane.doe',
        ],
        failed: [],
      });
      expect(await snapshotUsers(iam)).toEqual({});
      expect(await rawMails()).toEqual([]);
    });

    it('rolls back every user of a batch when a group is deleted between the checks and the membership', async () => {
      // At the moment the handler sets up john.roe, someone deletes the analysts group.
      intercepted = interceptIamRequests(async (command) => {
        if (command instanceof CreateLoginProfileCommand && command.input.UserName === 'john.roe') {
          await iam.send(new DeleteGroupCommand({ GroupName: 'analysts' }));
        }
      });
      const onboard = await loadOnboardUserHandler(settings);

      const error = await failureOf(onboard({ users: [jane, john, ann] }));

      expect(error.name).toBe(OnboardingFailedError.name);
      expect(error.message).toContain('Onboarding john.roe failed at AddUserToGroup john.roe analysts');
      expect((error as OnboardingFailedError).rollback.failed).toEqual([]);
      expect((error as OnboardingFailedError).rollback.undone).toContain('DeleteUser jane.doe');
      expect(await snapshotUsers(iam)).toEqual({});
      expect(await rawMails()).toEqual([]);
    });
  });

  describe('keeping the password secret', () => {
    const outputs: MockInstance[] = [];
    const restoreOutput = () => {
      for (const output of outputs.splice(0)) output.mockRestore();
    };
    afterEach(restoreOutput);

    /** Captures everything the service logs (Powertools JSON lines: stdout, errors on stderr). */
    function captureLogs(): string[] {
      const lines: string[] = [];
      for (const stream of [process.stdout, process.stderr]) {
        outputs.push(
          vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
            lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
            return true;
          }),
        );
      }
      return lines;
    }
    const verbose = { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' };

    it('returns the password to the caller only: not in a log line, a mail or an event', async () => {
      const onboard = await loadOnboardUserHandler({ ...settings, ...verbose });
      const logs = captureLogs();

      const result: OnboardingResult = await onboard({ users: [jane, john] });

      restoreOutput();
      expect(logs.join('')).toContain('User onboarded');
      const mails = (await rawMails()).map(readable).join('\n');
      expect(mails).toContain('jane.doe');
      for (const user of result.users) {
        expect(user.temporaryPassword).toMatch(/^\S{16}$/);
        expect(logs.join('')).not.toContain(user.temporaryPassword);
        expect(mails).not.toContain(user.temporaryPassword);
      }
    });

    it('keeps the password out of the error and the logs when onboarding fails after the login profile', async () => {
      const passwords: string[] = [];
      intercepted = interceptIamRequests((command) => {
        if (command instanceof CreateLoginProfileCommand) passwords.push(command.input.Password ?? '');
      });

      const missing = `arn:aws:iam::${ACCOUNT_ID}:policy/does-not-exist`;
      const onboard = await loadOnboardUserHandler({
        ...settings,
        ...verbose,
        SELF_SERVICE_POLICY_ARN: missing,
      });
      const logs = captureLogs();

      const error = await failureOf(onboard(jane));

      restoreOutput();
      expect(passwords).toHaveLength(1);
      const password = passwords[0] as string;
      expect(password).toHaveLength(16);
      expect(logs.join('')).toContain('Onboarding failed and was rolled back');
      expect(logs.join('')).not.toContain(password);
      expect(serialise(error)).not.toContain(password);
      expect(error.stack).not.toContain(password);
    });
  });
});
