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
  type IAMClient,
  ListAccountAliasesCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { awsErrorName, describeError, IamAccountError, IamEntityNotFoundError } from '../kernel/index.ts';
import { type AccountPasswordPolicy, AWS_DEFAULT_PASSWORD_POLICY } from './password.ts';
import { errorCarriesSecret, redactSecrets } from './secrets.ts';

/**
 * The IAM actions this adapter calls; tests/unit/deployment/permissions.test.ts checks the roles grant
 * them. CreateUser with tags is authorized as iam:TagUser as well.
 */
export const ONBOARDING_IAM_ACTIONS = [
  'iam:GetUser',
  'iam:GetGroup',
  'iam:GetAccountPasswordPolicy',
  'iam:ListAccountAliases',
  'iam:CreateUser',
  'iam:TagUser',
  'iam:CreateLoginProfile',
  'iam:AddUserToGroup',
  'iam:AttachUserPolicy',
  'iam:DetachUserPolicy',
  'iam:RemoveUserFromGroup',
  'iam:DeleteLoginProfile',
  'iam:DeleteUser',
] as const;

export interface NewIamUser {
  userName: string;
  path: string;
  tags: Record<string, string>;
  permissionsBoundaryArn: string | undefined;
}

/** The port the onboarding use case needs from IAM. */
export interface OnboardingIam {
  userExists(userName: string): Promise<boolean>;
  groupExists(groupName: string): Promise<boolean>;
  /** The account's live password policy; AWS's default when it has none. */
  passwordPolicy(): Promise<AccountPasswordPolicy>;
  /** The account alias, when one is set. */
  accountAlias(): Promise<string | undefined>;
  /** Creates the user with its tags, path and boundary; returns its ARN. */
  createUser(user: NewIamUser): Promise<{ arn: string }>;
  /** Gives the user a console password they must change at first sign-in (PasswordResetRequired). */
  createLoginProfile(userName: string, password: string): Promise<void>;
  addUserToGroup(userName: string, groupName: string): Promise<void>;
  attachUserPolicy(userName: string, policyArn: string): Promise<void>;
  detachUserPolicy(userName: string, policyArn: string): Promise<void>;
  removeUserFromGroup(userName: string, groupName: string): Promise<void>;
  deleteLoginProfile(userName: string): Promise<void>;
  deleteUser(userName: string): Promise<void>;
}

/**
 * The IAM-backed `OnboardingIam`. SDK errors are translated here: NoSuchEntity becomes
 * `IamEntityNotFoundError`, anything else `IamAccountError`, each with the SDK error as `cause`. The
 * password never reaches an error: should IAM echo it, the message is redacted and the SDK error dropped.
 */
export function onboardingIam(iam: IAMClient): OnboardingIam {
  const call = async <T>(what: string, action: () => Promise<T>, secret?: string): Promise<T> => {
    try {
      return await action();
    } catch (error: unknown) {
      const description = describeError(error);
      const secrets = secret === undefined ? [] : [secret];
      const leaks = errorCarriesSecret(error, secrets);
      const safeDescription = redactSecrets(description, secrets);
      const options = leaks ? {} : { cause: error };
      const name = awsErrorName(error);
      if (name === 'NoSuchEntityException' || name === 'NoSuchEntity') {
        throw new IamEntityNotFoundError(`${what}: not found (${safeDescription})`, options);
      }
      throw new IamAccountError(`${what} failed: ${safeDescription}`, options);
    }
  };
  const exists = async (action: () => Promise<unknown>): Promise<boolean> => {
    try {
      await action();
      return true;
    } catch (error: unknown) {
      if (error instanceof IamEntityNotFoundError) return false;
      throw error;
    }
  };

  return {
    userExists: (userName) =>
      exists(() => call(`GetUser ${userName}`, () => iam.send(new GetUserCommand({ UserName: userName })))),
    groupExists: (groupName) =>
      exists(() =>
        call(`GetGroup ${groupName}`, () =>
          iam.send(new GetGroupCommand({ GroupName: groupName, MaxItems: 1 })),
        ),
      ),
    passwordPolicy: async () => {
      try {
        const { PasswordPolicy: policy } = await call('GetAccountPasswordPolicy', () =>
          iam.send(new GetAccountPasswordPolicyCommand({})),
        );
        return {
          custom: true,
          minimumLength: policy?.MinimumPasswordLength ?? 6,
          requireLowercase: policy?.RequireLowercaseCharacters ?? false,
          requireUppercase: policy?.RequireUppercaseCharacters ?? false,
          requireNumbers: policy?.RequireNumbers ?? false,
          requireSymbols: policy?.RequireSymbols ?? false,
          allowUsersToChangePassword: policy?.AllowUsersToChangePassword ?? false,
        };
      } catch (error: unknown) {
        // No custom policy: AWS's default applies.
        if (error instanceof IamEntityNotFoundError) return { ...AWS_DEFAULT_PASSWORD_POLICY };
        throw error;
      }
    },
    accountAlias: () =>
      call('ListAccountAliases', async () => {
        // An account has at most one alias.
        const response = await iam.send(new ListAccountAliasesCommand({}));
        return response.AccountAliases?.[0];
      }),
    createUser: (user) =>
      call(`CreateUser ${user.userName}`, async () => {
        const response = await iam.send(
          new CreateUserCommand({
            UserName: user.userName,
            Path: user.path,
            Tags: Object.entries(user.tags).map(([Key, Value]) => ({ Key, Value })),
            ...(user.permissionsBoundaryArn === undefined
              ? {}
              : { PermissionsBoundary: user.permissionsBoundaryArn }),
          }),
        );
        const arn = response.User?.Arn;
        if (arn === undefined) throw new Error('CreateUser returned no user ARN');
        return { arn };
      }),
    createLoginProfile: (userName, password) =>
      call(
        `CreateLoginProfile ${userName}`,
        async () => {
          await iam.send(
            new CreateLoginProfileCommand({
              UserName: userName,
              Password: password,
              PasswordResetRequired: true,
            }),
          );
        },
        password,
      ),
    addUserToGroup: (userName, groupName) =>
      call(`AddUserToGroup ${userName} ${groupName}`, async () => {
        await iam.send(new AddUserToGroupCommand({ UserName: userName, GroupName: groupName }));
      }),
    attachUserPolicy: (userName, policyArn) =>
      call(`AttachUserPolicy ${userName} ${policyArn}`, async () => {
        await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }));
      }),
    detachUserPolicy: (userName, policyArn) =>
      call(`DetachUserPolicy ${userName} ${policyArn}`, async () => {
        await iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }));
      }),
    removeUserFromGroup: (userName, groupName) =>
      call(`RemoveUserFromGroup ${userName} ${groupName}`, async () => {
        await iam.send(new RemoveUserFromGroupCommand({ UserName: userName, GroupName: groupName }));
      }),
    deleteLoginProfile: (userName) =>
      call(`DeleteLoginProfile ${userName}`, async () => {
        await iam.send(new DeleteLoginProfileCommand({ UserName: userName }));
      }),
    deleteUser: (userName) =>
      call(`DeleteUser ${userName}`, async () => {
        await iam.send(new DeleteUserCommand({ UserName: userName }));
      }),
  };
}
