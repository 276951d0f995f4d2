import { describe, expect, it } from 'vitest';
import { IamAccountError, IamBusyError } from '../../../shared/kernel/errors.ts';
import {
  InvalidOnboardingRequestError,
  OnboardingError,
  OnboardingFailedError,
  UnknownGroupError,
  UserAlreadyExistsError,
} from '../../../shared/onboarding/errors.ts';
import {
  type OnboardingSettings,
  onboardUsers,
  USER_ONBOARDED_EVENT,
} from '../../../shared/onboarding/onboard-users.ts';
import type { NewUserRequest, OnboardingRequest } from '../../../shared/onboarding/onboarding-request.ts';
import { passwordPolicyViolations } from '../../../shared/onboarding/password.ts';
import { ONBOARDED_BY_TAG, ONBOARDED_TAG } from '../../../shared/onboarding/user-setup.ts';
import { FakeOnboardingIam } from '../../helpers/fake-onboarding-iam.ts';
import {
  type RecordingDependencies,
  recordingDependencies,
  serialise,
} from '../../helpers/onboarding-deps.ts';
import { weakPolicy } from '../../helpers/password-policies.ts';

const SELF_SERVICE = 'arn:aws:iam::123456789012:policy/key-hygiene-self-service';
const CHANGE_PASSWORD = 'arn:aws:iam::aws:policy/IAMUserChangePassword';
const PASSWORDS = ['Qv7kTz3mWx9pLr2c', 'Hn4bYs8dJe6gFu5a', 'Kc3xPw9tMz2rVq7e'];
const SETTINGS: OnboardingSettings = {
  emailTag: 'email',
  userPath: '/',
  permissionsBoundaryArn: undefined,
  selfServicePolicyArn: SELF_SERVICE,
  requestId: 'request-1',
};

const jane: NewUserRequest = {
  userName: 'jane.doe',
  email: 'jane.doe@example.com',
  groups: ['developers'],
  tags: { team: 'data' },
};
const john: NewUserRequest = {
  userName: 'john.roe',
  email: 'john.roe@example.com',
  groups: ['developers', 'analysts'],
  tags: {},
};
const ann: NewUserRequest = { userName: 'ann.lee', email: 'ann.lee@example.com', groups: [], tags: {} };

const single = (user: NewUserRequest): OnboardingRequest => ({ users: [user], batch: false });
const batch = (...users: NewUserRequest[]): OnboardingRequest => ({ users, batch: true });

function account(): FakeOnboardingIam {
  return new FakeOnboardingIam()
    .withGroups('developers', 'analysts')
    .withPolicies(SELF_SERVICE, CHANGE_PASSWORD);
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof Error) return error;
    throw error;
  }
  return expect.unreachable('expected the onboarding to fail');
}

/** Everything the service said or sent, except the result handed back to the caller. */
function everythingSaid(deps: RecordingDependencies, error?: Error): string {
  return [
    ...deps.logLines,
    ...deps.mails.map((mail) => serialise(mail)),
    ...deps.events.map((event) => serialise(event)),
    error === undefined ? '' : serialise(error),
    error?.message ?? '',
    error?.stack ?? '',
  ].join('\n');
}

describe('onboardUsers', () => {
  it('creates the user with tags, path and boundary, a login profile to reset, groups and policies', async () => {
    const deps = recordingDependencies(PASSWORDS, account());
    const boundary = 'arn:aws:iam::123456789012:policy/boundary';

    const result = await onboardUsers(deps, single(jane), {
      ...SETTINGS,
      userPath: '/people/',
      permissionsBoundaryArn: boundary,
    });

    expect(deps.iam.users.get('jane.doe')).toEqual({
      path: '/people/',
      tags: {
        team: 'data',
        email: 'jane.doe@example.com',
        [ONBOARDED_TAG]: '2026-11-23T10:00:00.000Z',
        [ONBOARDED_BY_TAG]: 'onboardUser request request-1',
      },
      permissionsBoundaryArn: boundary,
      loginProfile: { password: PASSWORDS[0], passwordResetRequired: true },
      groups: ['developers'],
      policyArns: [SELF_SERVICE, CHANGE_PASSWORD],
    });
    expect(result).toEqual({
      users: [
        {
          userName: 'jane.doe',
          userArn: 'arn:aws:iam::123456789012:user/people/jane.doe',
          signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
          groups: ['developers'],
          policyArns: [SELF_SERVICE, CHANGE_PASSWORD],
          temporaryPassword: PASSWORDS[0],
          passwordResetRequired: true,
          welcomeMail: { status: 'sent', messageId: 'message-1' },
          auditEvent: { status: 'published' },
        },
      ],
    });
  });

  it('checks the account first, then creates the user step by step', async () => {
    const deps = recordingDependencies(PASSWORDS, account());

    await onboardUsers(deps, single(john), SETTINGS);

    expect(deps.iam.calls).toEqual([
      'userExists john.roe',
      'groupExists developers',
      'groupExists analysts',
      'passwordPolicy',
      'accountAlias',
      'createUser john.roe',
      'createLoginProfile john.roe',
      'addUserToGroup john.roe developers',
      'addUserToGroup john.roe analysts',
      `attachUserPolicy john.roe ${SELF_SERVICE}`,
      `attachUserPolicy john.roe ${CHANGE_PASSWORD}`,
    ]);
  });

  it.each([
    [true, [SELF_SERVICE]],
    [false, [SELF_SERVICE, CHANGE_PASSWORD]],
  ])(
    'attaches IAMUserChangePassword only when the account does not let users change their password (allow: %s)',
    async (allowUsersToChangePassword, policyArns) => {
      const iam = account();
      iam.policy = weakPolicy({ allowUsersToChangePassword });
      const deps = recordingDependencies(PASSWORDS, iam);

      const result = await onboardUsers(deps, single(jane), SETTINGS);

      expect(iam.users.get('jane.doe')?.policyArns).toEqual(policyArns);
      expect(result.users[0]?.policyArns).toEqual(policyArns);
    },
  );

  it.each([
    ['the account alias', 'acme-prod', 'https://acme-prod.signin.aws.amazon.com/console'],
    ['the account id from the user ARN', undefined, 'https://123456789012.signin.aws.amazon.com/console'],
  ])('gives the sign-in URL with %s', async (_case, alias, url) => {
    const iam = account();
    iam.alias = alias;
    const deps = recordingDependencies(PASSWORDS, iam);

    const result = await onboardUsers(deps, single(jane), SETTINGS);

    expect(result.users[0]?.signInUrl).toBe(url);
    expect(deps.mails[0]?.text).toContain(url);
  });

  it('mails the user a welcome and publishes a UserOnboarded event without the password', async () => {
    const deps = recordingDependencies(PASSWORDS, account());

    await onboardUsers(deps, single(jane), SETTINGS);

    expect(deps.mails).toHaveLength(1);
    expect(deps.mails[0]).toMatchObject({
      to: ['jane.doe@example.com'],
      subject: 'Your AWS console user jane.doe',
    });
    expect(deps.events).toEqual([
      {
        detailType: USER_ONBOARDED_EVENT,
        time: new Date('2026-11-23T10:00:00.000Z'),
        detail: {
          userName: 'jane.doe',
          userArn: 'arn:aws:iam::123456789012:user/jane.doe',
          path: '/',
          groups: ['developers'],
          policyArns: [SELF_SERVICE, CHANGE_PASSWORD],
          permissionsBoundaryArn: null,
          passwordResetRequired: true,
          signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
          welcomeMail: 'sent',
          onboardedAt: '2026-11-23T10:00:00.000Z',
          requestId: 'request-1',
        },
      },
    ]);
  });

  it('onboards every user of a batch, each with its own password, in request order', async () => {
    const deps = recordingDependencies(PASSWORDS, account());

    const result = await onboardUsers(deps, batch(jane, john, ann), SETTINGS);

    expect(result.users.map((user) => [user.userName, user.temporaryPassword])).toEqual([
      ['jane.doe', PASSWORDS[0]],
      ['john.roe', PASSWORDS[1]],
      ['ann.lee', PASSWORDS[2]],
    ]);
    expect([...deps.iam.users.keys()]).toEqual(['jane.doe', 'john.roe', 'ann.lee']);
    expect(deps.mails.map((mail) => mail.to)).toEqual([
      ['jane.doe@example.com'],
      ['john.roe@example.com'],
      ['ann.lee@example.com'],
    ]);
  });

  it('generates a password that satisfies a strict live policy when no generator is injected', async () => {
    const iam = account();
    iam.policy = weakPolicy({
      minimumPasswordLength: 40,
      requireLowercaseCharacters: true,
      requireUppercaseCharacters: true,
      requireNumbers: true,
      requireSymbols: true,
      allowUsersToChangePassword: true,
    });
    const { newPassword: _injected, ...deps } = recordingDependencies([], iam);

    const result = await onboardUsers(deps, single(jane), SETTINGS);

    const password = iam.users.get('jane.doe')?.loginProfile?.password ?? '';
    expect(password).toHaveLength(40);
    expect(passwordPolicyViolations(password, iam.policy)).toEqual([]);
    expect(result.users[0]?.temporaryPassword).toBe(password);
  });

  describe('refusing before anything is created', () => {
    it('refuses a user who already exists, naming the field, and changes nothing', async () => {
      const iam = account().withUser('jane.doe');
      const before = iam.snapshot();
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = await failureOf(onboardUsers(deps, single(jane), SETTINGS));

      expect(error).toBeInstanceOf(UserAlreadyExistsError);
      expect(error.message).toBe(
        'User already exists; nothing was created: userName: the IAM user jane.doe already exists',
      );
      expect(iam.snapshot()).toEqual(before);
      expect(iam.calls.filter((call) => !/^(userExists|groupExists)/.test(call))).toEqual([]);
      expect(deps.mails).toEqual([]);
      expect(deps.events).toEqual([]);
    });

    it('checks every user and group of a batch before creating any, and names each problem', async () => {
      const iam = account().withUser('ann.lee');
      const before = iam.snapshot();
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = await failureOf(
        onboardUsers(deps, batch(jane, { ...john, groups: ['developers', 'ghosts'] }, ann), SETTINGS),
      );

      expect(error).toBeInstanceOf(UserAlreadyExistsError);
      expect((error as UserAlreadyExistsError).problems).toEqual([
        { field: 'users[2].userName', message: 'the IAM user ann.lee already exists' },
        { field: 'users[1].groups[1]', message: 'the IAM group ghosts does not exist' },
      ]);
      expect(iam.snapshot()).toEqual(before);
      expect(iam.calls.some((call) => call.startsWith('create'))).toBe(false);
    });

    it('refuses an unknown group, naming the field, and creates nothing', async () => {
      const iam = account();
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = await failureOf(
        onboardUsers(deps, batch(jane, { ...ann, groups: ['ghosts'] }), SETTINGS),
      );

      expect(error).toBeInstanceOf(UnknownGroupError);
      expect(error).toBeInstanceOf(InvalidOnboardingRequestError);
      expect(error.message).toBe(
        'Unknown group; nothing was created: users[1].groups[0]: the IAM group ghosts does not exist',
      );
      expect(iam.users.size).toBe(0);
    });

    it('asks IAM about each group once however many users name it', async () => {
      const deps = recordingDependencies(PASSWORDS, account());

      await onboardUsers(deps, batch(jane, john), SETTINGS);

      expect(deps.iam.calls.filter((call) => call.startsWith('groupExists'))).toEqual([
        'groupExists developers',
        'groupExists analysts',
      ]);
    });

    it('says nothing was created when the account cannot be checked', async () => {
      const iam = account();
      iam.failOn('userExists', 'jane.doe', new IamAccountError('GetUser jane.doe failed: AccessDenied'));
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = await failureOf(onboardUsers(deps, single(jane), SETTINGS));

      expect(error.name).toBe('OnboardingError');
      expect(error.message).toBe(
        'Could not check the request against the account; nothing was created: IamAccountError: GetUser jane.doe failed: AccessDenied',
      );
      expect(error.cause).toBeInstanceOf(IamAccountError);
      expect(iam.users.size).toBe(0);
    });

    it('refuses a generated password that breaks the policy without saying the password', async () => {
      const iam = account();
      iam.policy = weakPolicy({ minimumPasswordLength: 20 });
      const deps = recordingDependencies(['Short1Password'], iam);

      const error = await failureOf(onboardUsers(deps, single(jane), SETTINGS));

      expect(error).toBeInstanceOf(OnboardingError);
      expect(error.message).toContain('shorter than 20');
      expect(error.message).not.toContain('Short1Password');
      expect(iam.users.size).toBe(0);
    });
  });

  describe('rolling back', () => {
    it.each([
      ['CreateUser', 'createUser', 'jane.doe', 'CreateUser jane.doe', []],
      [
        'CreateLoginProfile',
        'createLoginProfile',
        'jane.doe',
        'CreateLoginProfile jane.doe',
        ['DeleteUser jane.doe'],
      ],
      [
        'the first AddUserToGroup',
        'addUserToGroup',
        'jane.doe developers',
        'AddUserToGroup jane.doe developers',
        ['DeleteLoginProfile jane.doe', 'DeleteUser jane.doe'],
      ],
      [
        'the second AddUserToGroup',
        'addUserToGroup',
        'jane.doe analysts',
        'AddUserToGroup jane.doe analysts',
        ['RemoveUserFromGroup jane.doe developers', 'DeleteLoginProfile jane.doe', 'DeleteUser jane.doe'],
      ],
      [
        'attaching the self-service policy',
        'attachUserPolicy',
        `jane.doe ${SELF_SERVICE}`,
        `AttachUserPolicy jane.doe ${SELF_SERVICE}`,
        [
          'RemoveUserFromGroup jane.doe analysts',
          'RemoveUserFromGroup jane.doe developers',
          'DeleteLoginProfile jane.doe',
          'DeleteUser jane.doe',
        ],
      ],
      [
        'attaching IAMUserChangePassword',
        'attachUserPolicy',
        `jane.doe ${CHANGE_PASSWORD}`,
        `AttachUserPolicy jane.doe ${CHANGE_PASSWORD}`,
        [
          `DetachUserPolicy jane.doe ${SELF_SERVICE}`,
          'RemoveUserFromGroup jane.doe analysts',
          'RemoveUserFromGroup jane.doe developers',
          'DeleteLoginProfile jane.doe',
          'DeleteUser jane.doe',
        ],
      ],
    ] as const)(
      'removes everything created when %s fails, last first, and reports the original error',
      async (_case, method, target, step, undone) => {
        const iam = account();
        const original = new IamAccountError(`${step} failed: ServiceFailure`);
        iam.failOn(method, target, original);
        const deps = recordingDependencies(PASSWORDS, iam);

        const error = await failureOf(
          onboardUsers(deps, single({ ...jane, groups: ['developers', 'analysts'] }), SETTINGS),
        );

        expect(error).toBeInstanceOf(OnboardingFailedError);
        const failure = error as OnboardingFailedError;
        expect(failure.step).toBe(step);
        expect(failure.cause).toBe(original);
        expect(failure.rollback).toEqual({ undone: [...undone], failed: [] });
        expect(failure.message).toContain(
          `Onboarding jane.doe failed at ${step}: IamAccountError: ${step} failed`,
        );
        expect(failure.message).toContain('Rolled back, nothing remains');
        expect(iam.users.size).toBe(0);
        expect(deps.mails).toEqual([]);
        expect(deps.events).toEqual([]);
      },
    );

    it('rolls back a user whose ARN cannot give a sign-in URL, rather than hand out a user without one', async () => {
      const iam = account();
      iam.arnFor = (user) => `not-an-arn/${user.userName}`;
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = (await failureOf(onboardUsers(deps, single(jane), SETTINGS))) as OnboardingFailedError;

      expect(error.step).toBe('reading the sign-in URL from not-an-arn/jane.doe');
      expect(error.rollback.failed).toEqual([]);
      expect(iam.users.size).toBe(0);
    });

    it('rolls back every user of a batch when one fails, the last created first', async () => {
      const iam = account();
      iam.failOn('addUserToGroup', 'john.roe analysts');
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = await failureOf(onboardUsers(deps, batch(jane, john, ann), SETTINGS));

      expect(error).toBeInstanceOf(OnboardingFailedError);
      expect((error as OnboardingFailedError).userName).toBe('john.roe');
      expect((error as OnboardingFailedError).rollback.undone).toEqual([
        'RemoveUserFromGroup john.roe developers',
        'DeleteLoginProfile john.roe',
        'DeleteUser john.roe',
        `DetachUserPolicy jane.doe ${CHANGE_PASSWORD}`,
        `DetachUserPolicy jane.doe ${SELF_SERVICE}`,
        'RemoveUserFromGroup jane.doe developers',
        'DeleteLoginProfile jane.doe',
        'DeleteUser jane.doe',
      ]);
      expect(iam.users.size).toBe(0);
      expect(iam.calls.some((call) => call.includes('ann.lee') && call.startsWith('create'))).toBe(false);
      expect(deps.mails).toEqual([]);
      expect(deps.events).toEqual([]);
    });

    it('reports the rollback steps that fail, keeps undoing the rest, and says what to remove by hand', async () => {
      const iam = account();
      iam.failOn('attachUserPolicy', `jane.doe ${SELF_SERVICE}`);
      iam.failOn(
        'deleteLoginProfile',
        'jane.doe',
        new IamAccountError('DeleteLoginProfile jane.doe failed: AccessDenied'),
      );
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = (await failureOf(onboardUsers(deps, single(jane), SETTINGS))) as OnboardingFailedError;

      expect(error.rollback).toEqual({
        undone: ['RemoveUserFromGroup jane.doe developers'],
        failed: [
          {
            step: 'DeleteLoginProfile jane.doe',
            error: 'IamAccountError: DeleteLoginProfile jane.doe failed: AccessDenied',
          },
          {
            step: 'DeleteUser jane.doe',
            error: 'IamAccountError: DeleteUser jane.doe failed: DeleteConflict',
          },
        ],
      });
      expect(error.message).toContain('ROLLBACK INCOMPLETE, remove by hand: DeleteLoginProfile jane.doe');
      expect(
        deps.logLines.some((line) => line.startsWith('error') && line.includes('ROLLBACK INCOMPLETE')),
      ).toBe(true);
    });

    it('retries a rollback step while IAM is busy (IamBusyError), with growing waits', async () => {
      const iam = account();
      iam.failOn('attachUserPolicy', `jane.doe ${SELF_SERVICE}`);
      const unmodifiable = () =>
        new IamBusyError('DeleteUser jane.doe: EntityTemporarilyUnmodifiableException: try later');
      iam.failOn('deleteUser', 'jane.doe', unmodifiable(), unmodifiable());
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = (await failureOf(onboardUsers(deps, single(jane), SETTINGS))) as OnboardingFailedError;

      expect(error.rollback.failed).toEqual([]);
      expect(error.rollback.undone).toContain('DeleteUser jane.doe');
      expect(deps.sleeps).toEqual([500, 1000]);
      expect(iam.users.size).toBe(0);
    });

    it('gives up on a busy rollback step after four attempts and reports it', async () => {
      const iam = account();
      iam.failOn('createLoginProfile', 'jane.doe');
      const unmodifiable = () =>
        new IamBusyError('DeleteUser jane.doe: ConcurrentModificationException: try later');
      iam.failOn('deleteUser', 'jane.doe', unmodifiable(), unmodifiable(), unmodifiable(), unmodifiable());
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = (await failureOf(onboardUsers(deps, single(jane), SETTINGS))) as OnboardingFailedError;

      expect(error.rollback.failed.map((failure) => failure.step)).toEqual(['DeleteUser jane.doe']);
      expect(deps.sleeps).toEqual([500, 1000, 2000]);
      expect(iam.users.has('jane.doe')).toBe(true);
    });

    it('counts a rollback step whose entity is already gone as undone', async () => {
      const iam = account();
      iam.failOn('attachUserPolicy', `jane.doe ${SELF_SERVICE}`);
      const deps = recordingDependencies(PASSWORDS, iam);
      // Someone deletes the group while the onboarding runs: its membership went with it.
      const addUserToGroup = iam.addUserToGroup.bind(iam);
      iam.addUserToGroup = async (userName, groupName) => {
        await addUserToGroup(userName, groupName);
        iam.users.get(userName)?.groups.splice(0);
      };

      const error = (await failureOf(onboardUsers(deps, single(jane), SETTINGS))) as OnboardingFailedError;

      expect(error.rollback).toEqual({
        undone: [
          'RemoveUserFromGroup jane.doe developers (already gone)',
          'DeleteLoginProfile jane.doe',
          'DeleteUser jane.doe',
        ],
        failed: [],
      });
      expect(iam.users.size).toBe(0);
    });
  });

  describe('after the users exist', () => {
    it.each([
      ['fails', async () => ({ status: 'failed' as const, error: 'MessageRejected: not verified' })],
      ['throws', async (): Promise<never> => Promise.reject(new Error('socket hang up'))],
      ['is disabled', async () => ({ status: 'skipped' as const, reason: 'SENDER_EMAIL is not set' })],
    ])('reports a welcome mail that %s and keeps the user', async (_case, mailResult) => {
      const deps = recordingDependencies(PASSWORDS, account());
      deps.mailResult = mailResult;

      const result = await onboardUsers(deps, single(jane), SETTINGS);

      expect(result.users[0]?.welcomeMail.status).not.toBe('sent');
      expect(result.users[0]?.welcomeMail).toEqual(
        await mailResult().catch((error: Error) => ({ status: 'failed', error: `Error: ${error.message}` })),
      );
      expect(deps.iam.users.has('jane.doe')).toBe(true);
      expect(deps.events[0]?.detail.welcomeMail).toBe(result.users[0]?.welcomeMail.status);
      expect(
        deps.logLines.some((line) => line.startsWith('warn') && line.includes('Welcome mail not sent')),
      ).toBe(true);
    });

    it.each([
      [
        'refuses the entry',
        async () => ({
          published: 0,
          failed: [{ detailType: USER_ONBOARDED_EVENT, error: 'InternalFailure' }],
        }),
        'InternalFailure',
      ],
      ['throws', async (): Promise<never> => Promise.reject(new Error('bus gone')), 'Error: bus gone'],
    ])(
      'reports a UserOnboarded event the bus %s and keeps the user',
      async (_case, publishResult, message) => {
        const deps = recordingDependencies(PASSWORDS, account());
        deps.publishResult = publishResult;

        const result = await onboardUsers(deps, single(jane), SETTINGS);

        expect(result.users[0]?.auditEvent).toEqual({ status: 'failed', error: message });
        expect(deps.iam.users.has('jane.doe')).toBe(true);
        expect(result.users[0]?.welcomeMail.status).toBe('sent');
      },
    );
  });

  describe('keeping the password secret', () => {
    it('never logs, mails or publishes the password of an onboarded user, and returns it to the caller', async () => {
      const deps = recordingDependencies(PASSWORDS, account());

      const result = await onboardUsers(deps, batch(jane, john), SETTINGS);

      const said = everythingSaid(deps);
      expect(said).toContain('jane.doe');
      for (const password of PASSWORDS.slice(0, 2)) expect(said).not.toContain(password);
      expect(result.users.map((user) => user.temporaryPassword)).toEqual(PASSWORDS.slice(0, 2));
    });

    it('keeps the password out of the error, its causes and the logs when IAM echoes it back', async () => {
      const iam = account();
      const password = PASSWORDS[1] as string;
      iam.failOn(
        'createLoginProfile',
        'john.roe',
        new IamAccountError(
          `CreateLoginProfile john.roe failed: PasswordPolicyViolation: ${password} is weak`,
          {
            cause: new Error(`the password ${password} is weak`),
          },
        ),
      );
      const deps = recordingDependencies(PASSWORDS, iam);

      const error = await failureOf(onboardUsers(deps, batch(jane, john), SETTINGS));

      expect(error.message).toContain('PasswordPolicyViolation: [redacted] is weak');
      expect(error.cause).toBeUndefined();
      const said = everythingSaid(deps, error);
      for (const secret of PASSWORDS.slice(0, 2)) expect(said).not.toContain(secret);
    });
  });
});
