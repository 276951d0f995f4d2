import {
  DeleteLoginProfileCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { IamAccountError, isNoSuchEntityError, withIamErrors } from '../kernel/index.ts';
import { type UserTags, userTags } from '../user-tags/index.ts';

/** The IAM actions this adapter calls (its tags through user-tags); the enforceConsoleAccess role grants them. */
export const CONSOLE_ACCESS_IAM_ACTIONS = [
  'iam:GetLoginProfile',
  'iam:GetUser',
  'iam:DeleteLoginProfile',
] as const;

/** The port the console-access use case needs from IAM: one user's tags, console password and its last use. */
export interface ConsoleAccount extends UserTags {
  /** Whether the user has a console password (a login profile) right now. */
  hasLoginProfile(userName: string): Promise<boolean>;
  /** The user's last console sign-in as IAM reports it live (GetUser); `undefined` when none is known. */
  passwordLastUsed(userName: string): Promise<Date | undefined>;
  deleteLoginProfile(userName: string): Promise<void>;
}

/**
 * The IAM-backed `ConsoleAccount`. SDK errors are translated here (kernel's `iamError`): NoSuchEntity
 * becomes `IamEntityNotFoundError`, throttling `IamBusyError`, anything else `IamAccountError`. An answer
 * missing what IAM always sends (a login profile, a user) is an `IamAccountError`. Tags: user-tags.
 */
export function consoleAccount(iam: IAMClient): ConsoleAccount {
  return {
    ...userTags(iam),
    hasLoginProfile: (userName) =>
      withIamErrors(`GetLoginProfile for ${userName}`, async () => {
        try {
          const response = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
          if (response.LoginProfile === undefined)
            throw incompleteAnswer(`GetLoginProfile for ${userName}`, 'LoginProfile');
          return true;
        } catch (error: unknown) {
          // NoSuchEntity names the login profile here; a missing user fails GetUser, called alongside.
          if (isNoSuchEntityError(error)) return false;
          throw error;
        }
      }),
    passwordLastUsed: (userName) =>
      withIamErrors(`GetUser for ${userName}`, async () => {
        const response = await iam.send(new GetUserCommand({ UserName: userName }));
        if (response.User === undefined) throw incompleteAnswer(`GetUser for ${userName}`, 'User');
        return response.User.PasswordLastUsed;
      }),
    deleteLoginProfile: (userName) =>
      withIamErrors(`DeleteLoginProfile for ${userName}`, async () => {
        await iam.send(new DeleteLoginProfileCommand({ UserName: userName }));
      }),
  };
}

function incompleteAnswer(what: string, member: string): IamAccountError {
  return new IamAccountError(
    `${what}: the answer has no ${member}, which IAM always sends; it was probably cut short on the way and is not trusted`,
  );
}
