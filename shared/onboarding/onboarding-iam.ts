import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DetachUserPolicyCommand,
  GetGroupCommand,
  GetUserCommand,
  type IAMClient,
  ListAccountAliasesCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import {
  type AccountPasswordPolicy,
  IamAccountError,
  IamEntityNotFoundError,
  iamError,
  readAccountPasswordPolicy,
} from '../kernel/index.ts';
import { errorCarriesSecret, redactSecrets } from './secrets.ts';

/**
 * The IAM actions this adapter calls (the password policy is read by kernel's reader, which declares its
 * own); tests/unit/deployment/permissions.test.ts checks the roles grant them. CreateUser with tags is
 * authorized as iam:TagUser as well.
 */
export const ONBOARDING_IAM_ACTIONS = [
  'iam:GetUser',
  'iam:GetGroup',
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

/**
 * The port the onboarding use case needs from IAM. Every method fails with kernel's IAM errors:
 * `IamEntityNotFoundError`, `IamBusyError` (throttled, or the entity busy or still settling: worth another
 * try) or `IamAccountError`.
 */
export interface OnboardingIam {
  userExists(userName: string): Promise<boolean>;
  groupExists(groupName: string): Promise<boolean>;
  /** The account's live password policy; `undefined` when it has none (AWS's default applies). */
  passwordPolicy(): Promise<AccountPasswordPolicy | undefined>;
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
 * Kernel's translation of an SDK error, except that a password never reaches an error: should IAM echo
 * it, the error is translated from a redacted copy (same name, so the same kind) and the SDK error dropped.
 */
function translated(what: string, error: unknown, secret: string | undefined): IamAccountError {
  if (secret === undefined || !errorCarriesSecret(error, [secret])) return iamError(what, error);
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return iamError(what, Object.assign(new Error(redactSecrets(message, [secret])), { name }));
}

/** The IAM-backed `OnboardingIam`; SDK errors are translated here by kernel's `iamError`. */
export function onboardingIam(iam: IAMClient): OnboardingIam {
  const call = async <T>(what: string, action: () => Promise<T>, secret?: string): Promise<T> => {
    try {
      return await action();
    } catch (error: unknown) {
      throw translated(what, error, secret);
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
  // A call whose answer is not needed: success is all it says.
  const act = (what: string, action: () => Promise<unknown>, secret?: string) =>
    call(
      what,
      async () => {
        await action();
      },
      secret,
    );

  return {
    userExists: (userName) =>
      exists(() => act(`GetUser ${userName}`, () => iam.send(new GetUserCommand({ UserName: userName })))),
    groupExists: (groupName) =>
      exists(() =>
        act(`GetGroup ${groupName}`, () =>
          iam.send(new GetGroupCommand({ GroupName: groupName, MaxItems: 1 })),
        ),
      ),
    passwordPolicy: () => readAccountPasswordPolicy(iam),
    accountAlias: () =>
      call('ListAccountAliases', async () => {
        // An account has at most one alias.
        const response = await iam.send(new ListAccountAliasesCommand({}));
        return response.AccountAliases?.[0];
      }),
    createUser: async (user) => {
      const what = `CreateUser ${user.userName}`;
      const response = await call(what, () =>
        iam.send(
          new CreateUserCommand({
            UserName: user.userName,
            Path: user.path,
            Tags: Object.entries(user.tags).map(([Key, Value]) => ({ Key, Value })),
            ...(user.permissionsBoundaryArn === undefined
              ? {}
              : { PermissionsBoundary: user.permissionsBoundaryArn }),
          }),
        ),
      );
      const arn = response.User?.Arn;
      if (arn === undefined) throw new IamAccountError(`${what}: IAM returned no user ARN`);
      return { arn };
    },
    createLoginProfile: (userName, password) =>
      act(
        `CreateLoginProfile ${userName}`,
        () =>
          iam.send(
            new CreateLoginProfileCommand({
              UserName: userName,
              Password: password,
              PasswordResetRequired: true,
            }),
          ),
        password,
      ),
    addUserToGroup: (userName, groupName) =>
      act(`AddUserToGroup ${userName} ${groupName}`, () =>
        iam.send(new AddUserToGroupCommand({ UserName: userName, GroupName: groupName })),
      ),
    attachUserPolicy: (userName, policyArn) =>
      act(`AttachUserPolicy ${userName} ${policyArn}`, () =>
        iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
      ),
    detachUserPolicy: (userName, policyArn) =>
      act(`DetachUserPolicy ${userName} ${policyArn}`, () =>
        iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
      ),
    removeUserFromGroup: (userName, groupName) =>
      act(`RemoveUserFromGroup ${userName} ${groupName}`, () =>
        iam.send(new RemoveUserFromGroupCommand({ UserName: userName, GroupName: groupName })),
      ),
    deleteLoginProfile: (userName) =>
      act(`DeleteLoginProfile ${userName}`, () =>
        iam.send(new DeleteLoginProfileCommand({ UserName: userName })),
      ),
    deleteUser: (userName) =>
      act(`DeleteUser ${userName}`, () => iam.send(new DeleteUserCommand({ UserName: userName }))),
  };
}
