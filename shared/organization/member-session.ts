import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { type AwsCredentials, awsErrorName, describeError, isThrottlingError } from '../kernel/index.ts';
import { AccountThrottledError, MemberRoleUnavailableError, OrganizationError } from './errors.ts';

/** The STS actions this adapter calls; the worker's role grants exactly these, on member roles only. */
export const MEMBER_ROLE_STS_ACTIONS = ['sts:AssumeRole'] as const;

// One night's work in one account fits in an hour (the worker's Lambda timeout is far below it).
const SESSION_SECONDS = 3600;

/** `arn:<partition>:iam::<account>:role/<name>`: the member role of one account. */
export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * Assumes the member role of one account: calls signed with the credentials act in that account, and only
 * as far as the member role allows. `sessionName` shows in the member account's CloudTrail.
 * @throws {MemberRoleUnavailableError} when STS refuses: the role is missing or does not trust us (AWS
 *   answers AccessDenied for both).
 * @throws {AccountThrottledError} when STS kept throttling past the SDK's retries.
 * @throws {OrganizationError} on any other failure.
 */
export async function assumeMemberRole(
  sts: STSClient,
  accountId: string,
  role: { arn: string; sessionName: string },
): Promise<AwsCredentials> {
  let credentials: Partial<AwsCredentials> | undefined;
  try {
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: role.arn,
        RoleSessionName: role.sessionName,
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    credentials = {
      accessKeyId: answer.Credentials?.AccessKeyId,
      secretAccessKey: answer.Credentials?.SecretAccessKey,
      sessionToken: answer.Credentials?.SessionToken,
      expiration: answer.Credentials?.Expiration,
    };
  } catch (error: unknown) {
    if (isThrottlingError(error)) {
      throw new AccountThrottledError(
        accountId,
        `STS throttled AssumeRole on ${role.arn}: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
    const name = awsErrorName(error);
    if (name === 'AccessDenied' || name === 'AccessDeniedException') {
      throw new MemberRoleUnavailableError(
        `Could not assume ${role.arn}: the member role is missing from the account or does not trust this service's worker; deploy the member-role StackSet to the account (${describeError(error)})`,
        { cause: error },
      );
    }
    throw new OrganizationError(`Could not assume ${role.arn}: ${describeError(error)}`, { cause: error });
  }
  if (credentials.accessKeyId === undefined || credentials.secretAccessKey === undefined) {
    throw new OrganizationError(`STS returned no credentials for ${role.arn}`);
  }
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    ...(credentials.expiration === undefined ? {} : { expiration: credentials.expiration }),
  };
}
