import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DetachUserPolicyCommand,
  GetAccountPasswordPolicyCommand,
  GetGroupCommand,
  GetUserCommand,
  IAMClient,
  ListAccountAliasesCommand,
  NoSuchEntityException,
  PasswordPolicyViolationException,
  RemoveUserFromGroupCommand,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { IamAccountError, IamBusyError, IamEntityNotFoundError } from '../../../shared/kernel/errors.ts';
import { onboardingIam } from '../../../shared/onboarding/onboarding-iam.ts';
import { weakPolicy } from '../../helpers/password-policies.ts';

const iamMock = mockClient(IAMClient);
const iam = onboardingIam(new IAMClient({ region: 'us-east-1' }));
const PASSWORD = 'Qv7kTz3mWx9pLr2c';

const noSuchEntity = (message = 'not found') => new NoSuchEntityException({ message, $metadata: {} });
const serviceFailure = () => new ServiceFailureException({ message: 'try again', $metadata: {} });

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof Error) return error;
    throw error;
  }
  return expect.unreachable('expected the call to fail');
}

beforeEach(() => {
  iamMock.reset();
});

describe('onboardingIam', () => {
  describe('createLoginProfile', () => {
    it('sends PasswordResetRequired: true with the password (the emulator ignores the flag)', async () => {
      iamMock.on(CreateLoginProfileCommand).resolves({});

      await iam.createLoginProfile('jane.doe', PASSWORD);

      expect(iamMock.commandCalls(CreateLoginProfileCommand).map((call) => call.args[0].input)).toEqual([
        { UserName: 'jane.doe', Password: PASSWORD, PasswordResetRequired: true },
      ]);
    });

    it('redacts the password when IAM echoes it in an error, and drops the SDK error', async () => {
      iamMock.on(CreateLoginProfileCommand).rejects(
        new PasswordPolicyViolationException({
          message: `Password ${PASSWORD} is too weak`,
          $metadata: {},
        }),
      );

      const error = await failureOf(iam.createLoginProfile('jane.doe', PASSWORD));

      expect(error).toBeInstanceOf(IamAccountError);
      expect(error.message).toBe(
        'CreateLoginProfile jane.doe: PasswordPolicyViolationException: Password [redacted] is too weak',
      );
      expect(error.cause).toMatchObject({
        name: 'PasswordPolicyViolationException',
        message: 'Password [redacted] is too weak',
      });
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(PASSWORD);
      expect(String((error.cause as Error).stack)).not.toContain(PASSWORD);
    });

    it('keeps the SDK error as the cause when it does not hold the password', async () => {
      const sdkError = new PasswordPolicyViolationException({
        message: 'Password is too short',
        $metadata: {},
      });
      iamMock.on(CreateLoginProfileCommand).rejects(sdkError);

      const error = await failureOf(iam.createLoginProfile('jane.doe', PASSWORD));

      expect(error.cause).toBe(sdkError);
      expect(error.message).not.toContain(PASSWORD);
    });
  });

  describe('createUser', () => {
    it('sends the tags, the path and the boundary, and returns the ARN', async () => {
      iamMock.on(CreateUserCommand).resolves({
        User: {
          UserName: 'jane.doe',
          Arn: 'arn:aws:iam::123456789012:user/people/jane.doe',
          Path: '/people/',
          UserId: 'AIDA',
          CreateDate: new Date(),
        },
      });

      const created = await iam.createUser({
        userName: 'jane.doe',
        path: '/people/',
        tags: { email: 'jane.doe@example.com', team: 'data' },
        permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary',
      });

      expect(created).toEqual({ arn: 'arn:aws:iam::123456789012:user/people/jane.doe' });
      expect(iamMock.commandCalls(CreateUserCommand)[0]?.args[0].input).toEqual({
        UserName: 'jane.doe',
        Path: '/people/',
        Tags: [
          { Key: 'email', Value: 'jane.doe@example.com' },
          { Key: 'team', Value: 'data' },
        ],
        PermissionsBoundary: 'arn:aws:iam::123456789012:policy/boundary',
      });
    });

    it('sends no PermissionsBoundary when none is configured', async () => {
      iamMock.on(CreateUserCommand).resolves({ User: { Arn: 'arn:aws:iam::123456789012:user/x' } as never });

      await iam.createUser({ userName: 'x', path: '/', tags: {}, permissionsBoundaryArn: undefined });

      expect(iamMock.commandCalls(CreateUserCommand)[0]?.args[0].input).not.toHaveProperty(
        'PermissionsBoundary',
      );
    });

    it('fails when IAM returns no ARN', async () => {
      iamMock.on(CreateUserCommand).resolves({});

      const error = await failureOf(
        iam.createUser({ userName: 'x', path: '/', tags: {}, permissionsBoundaryArn: undefined }),
      );

      expect(error).toBeInstanceOf(IamAccountError);
      expect(error.message).toBe('CreateUser x: IAM returned no user ARN');
    });
  });

  describe('existence checks', () => {
    it.each([
      ['exists', {}, true],
      ['does not exist', noSuchEntity(), false],
    ])('reads a user that %s', async (_case, answer, exists) => {
      if (answer instanceof Error) iamMock.on(GetUserCommand).rejects(answer);
      else iamMock.on(GetUserCommand).resolves(answer);

      expect(await iam.userExists('jane.doe')).toBe(exists);
      expect(iamMock.commandCalls(GetUserCommand)[0]?.args[0].input).toEqual({ UserName: 'jane.doe' });
    });

    it.each([
      ['exists', {}, true],
      ['does not exist', noSuchEntity(), false],
    ])('reads a group that %s, asking for one member at most', async (_case, answer, exists) => {
      if (answer instanceof Error) iamMock.on(GetGroupCommand).rejects(answer);
      else iamMock.on(GetGroupCommand).resolves(answer);

      expect(await iam.groupExists('developers')).toBe(exists);
      expect(iamMock.commandCalls(GetGroupCommand)[0]?.args[0].input).toEqual({
        GroupName: 'developers',
        MaxItems: 1,
      });
    });

    it('passes on any other error as an IamAccountError', async () => {
      iamMock.on(GetUserCommand).rejects(serviceFailure());

      const error = await failureOf(iam.userExists('jane.doe'));

      expect(error).toBeInstanceOf(IamAccountError);
      expect(error).not.toBeInstanceOf(IamEntityNotFoundError);
      expect(error.message).toBe('GetUser jane.doe: ServiceFailureException: try again');
    });
  });

  describe('passwordPolicy', () => {
    it("reads the live policy through kernel's reader", async () => {
      iamMock.on(GetAccountPasswordPolicyCommand).resolves({
        PasswordPolicy: { MinimumPasswordLength: 20, RequireSymbols: true, AllowUsersToChangePassword: true },
      });

      expect(await iam.passwordPolicy()).toEqual(
        weakPolicy({ minimumPasswordLength: 20, requireSymbols: true, allowUsersToChangePassword: true }),
      );
    });

    it("answers undefined when the account has no policy (NoSuchEntity): AWS's default applies", async () => {
      iamMock
        .on(GetAccountPasswordPolicyCommand)
        .rejects(noSuchEntity('The Password Policy cannot be found.'));

      expect(await iam.passwordPolicy()).toBeUndefined();
    });
  });

  describe('accountAlias', () => {
    it.each([
      [['acme-prod'], 'acme-prod'],
      [[], undefined],
      [undefined, undefined],
    ])('reads aliases %j as %s', async (aliases, alias) => {
      iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: aliases });

      expect(await iam.accountAlias()).toBe(alias);
    });
  });

  describe('memberships, policies and rollback', () => {
    it.each([
      [
        'addUserToGroup',
        () => iam.addUserToGroup('jane.doe', 'developers'),
        AddUserToGroupCommand,
        { UserName: 'jane.doe', GroupName: 'developers' },
      ],
      [
        'attachUserPolicy',
        () => iam.attachUserPolicy('jane.doe', 'arn:aws:iam::aws:policy/IAMUserChangePassword'),
        AttachUserPolicyCommand,
        { UserName: 'jane.doe', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' },
      ],
      [
        'detachUserPolicy',
        () => iam.detachUserPolicy('jane.doe', 'arn:aws:iam::aws:policy/IAMUserChangePassword'),
        DetachUserPolicyCommand,
        { UserName: 'jane.doe', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' },
      ],
      [
        'removeUserFromGroup',
        () => iam.removeUserFromGroup('jane.doe', 'developers'),
        RemoveUserFromGroupCommand,
        { UserName: 'jane.doe', GroupName: 'developers' },
      ],
      [
        'deleteLoginProfile',
        () => iam.deleteLoginProfile('jane.doe'),
        DeleteLoginProfileCommand,
        { UserName: 'jane.doe' },
      ],
      ['deleteUser', () => iam.deleteUser('jane.doe'), DeleteUserCommand, { UserName: 'jane.doe' }],
    ] as const)('%s sends the expected request', async (_case, action, command, input) => {
      iamMock.on(command as never).resolves({});

      await action();

      expect(iamMock.commandCalls(command as never).map((call) => call.args[0].input)).toEqual([input]);
    });

    it('translates NoSuchEntity into IamEntityNotFoundError, keeping the SDK error as the cause', async () => {
      const sdkError = noSuchEntity('Group developers not found');
      iamMock.on(AddUserToGroupCommand).rejects(sdkError);

      const error = await failureOf(iam.addUserToGroup('jane.doe', 'developers'));

      expect(error).toBeInstanceOf(IamEntityNotFoundError);
      expect(error.message).toBe(
        'AddUserToGroup jane.doe developers: not found (NoSuchEntityException: Group developers not found)',
      );
      expect(error.cause).toBe(sdkError);
    });

    it.each([
      ['Throttling', 'throttled'],
      ['ConcurrentModificationException', 'changed by someone else at the same time'],
      ['EntityTemporarilyUnmodifiableException', 'still settling after its creation'],
    ])('translates %s into IamBusyError (IAM %s), the SDK error as cause', async (name, _meaning) => {
      const sdkError = Object.assign(new Error('try again later'), { name });
      iamMock.on(DeleteUserCommand).rejects(sdkError);

      const error = await failureOf(iam.deleteUser('jane.doe'));

      expect(error).toBeInstanceOf(IamBusyError);
      expect(error.message).toBe(`DeleteUser jane.doe: ${name}: try again later`);
      expect(error.cause).toBe(sdkError);
    });

    it('translates any other failure into IamAccountError, neither busy nor not-found', async () => {
      iamMock.on(AttachUserPolicyCommand).rejects(serviceFailure());

      const error = await failureOf(iam.attachUserPolicy('jane.doe', 'arn:aws:iam::aws:policy/X'));

      expect(error).toBeInstanceOf(IamAccountError);
      expect(error).not.toBeInstanceOf(IamBusyError);
      expect(error).not.toBeInstanceOf(IamEntityNotFoundError);
    });
  });
});
