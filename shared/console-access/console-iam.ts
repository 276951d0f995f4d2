import {
  DeleteLoginProfileCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  type IAMClient,
  paginateListUserTags,
  TagUserCommand,
  UntagUserCommand,
} from '@aws-sdk/client-iam';
import { IamAccountError, iamError, isNoSuchEntityError } from '../kernel/index.ts';

/** The IAM actions this adapter calls; the enforceConsoleAccess role must grant exactly these (plus the report's). */
export const CONSOLE_ACCESS_IAM_ACTIONS = [
  'iam:ListUserTags',
  'iam:GetLoginProfile',
  'iam:GetUser',
  'iam:DeleteLoginProfile',
  'iam:TagUser',
  'iam:UntagUser',
] as const;

/** The port the console-access use case needs from IAM: one user's tags, console password and its last use. */
export interface ConsoleAccount {
  listUserTags(userName: string): Promise<Record<string, string>>;
  /** Whether the user has a console password (a login profile) right now. */
  hasLoginProfile(userName: string): Promise<boolean>;
  /** The user's last console sign-in as IAM reports it live (GetUser); `undefined` when none is known. */
  passwordLastUsed(userName: string): Promise<Date | undefined>;
  deleteLoginProfile(userName: string): Promise<void>;
  tagUser(userName: string, tags: Record<string, string>): Promise<void>;
  untagUser(userName: string, tagKeys: string[]): Promise<void>;
}

/**
 * The IAM-backed `ConsoleAccount`. SDK errors are translated here (kernel's `iamError`): NoSuchEntity
 * becomes `IamEntityNotFoundError`, throttling `IamBusyError`, anything else `IamAccountError`. An answer
 * missing what IAM always sends (a tag list, a user) is an `IamAccountError`: "no tags" would hide an
 * exemption.
 */
export function consoleAccount(iam: IAMClient): ConsoleAccount {
  const call = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error: unknown) {
      if (error instanceof IamAccountError) throw error;
      throw iamError(what, error);
    }
  };
  return {
    listUserTags: (userName) =>
      call(`ListUserTags for ${userName}`, async () => {
        const tags: Record<string, string> = {};
        for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
          if (page.Tags === undefined) throw incompleteAnswer(`ListUserTags for ${userName}`, 'Tags');
          for (const tag of page.Tags) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
        }
        return tags;
      }),
    hasLoginProfile: (userName) =>
      call(`GetLoginProfile for ${userName}`, async () => {
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
      call(`GetUser for ${userName}`, async () => {
        const response = await iam.send(new GetUserCommand({ UserName: userName }));
        if (response.User === undefined) throw incompleteAnswer(`GetUser for ${userName}`, 'User');
        return response.User.PasswordLastUsed;
      }),
    deleteLoginProfile: (userName) =>
      call(`DeleteLoginProfile for ${userName}`, async () => {
        await iam.send(new DeleteLoginProfileCommand({ UserName: userName }));
      }),
    tagUser: (userName, tags) =>
      call(`Tagging ${userName}`, async () => {
        await iam.send(
          new TagUserCommand({
            UserName: userName,
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      }),
    untagUser: (userName, tagKeys) =>
      call(`Untagging ${userName}`, async () => {
        await iam.send(new UntagUserCommand({ UserName: userName, TagKeys: tagKeys }));
      }),
  };
}

function incompleteAnswer(what: string, member: string): IamAccountError {
  return new IamAccountError(
    `${what}: the answer has no ${member}, which IAM always sends; it was probably cut short on the way and is not trusted`,
  );
}
