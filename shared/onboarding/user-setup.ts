import { type AccountPasswordPolicy, SERVICE_TAG_PREFIX } from '../kernel/index.ts';
import type { NewUserRequest } from './onboarding-request.ts';
import { awsManagedPolicyArn, parseArn } from './sign-in-url.ts';

/** When the user was onboarded (ISO timestamp). */
export const ONBOARDED_TAG = `${SERVICE_TAG_PREFIX}onboarded`;
/** How: by this service's onboardUser function, and which request (to find its logs). */
export const ONBOARDED_BY_TAG = `${SERVICE_TAG_PREFIX}onboarded-by`;
export const CHANGE_PASSWORD_POLICY_NAME = 'IAMUserChangePassword';

/** The tag keys the service sets on every new user, the email tag first. */
export function serviceTagKeys(emailTag: string): string[] {
  return [emailTag, ONBOARDED_TAG, ONBOARDED_BY_TAG];
}

export interface UserSetupSettings {
  emailTag: string;
  userPath: string;
  permissionsBoundaryArn: string | undefined;
  selfServicePolicyArn: string;
}

export interface UserSetupFacts {
  /** The account's password policy; `undefined` when it has none (AWS's default). */
  passwordPolicy: AccountPasswordPolicy | undefined;
  onboardedAt: Date;
  /** The invocation's request id, recorded in the onboarded-by tag. */
  requestId: string;
}

/** Everything that will be created for one user, decided before the first call. */
export interface UserSetupPlan {
  userName: string;
  email: string;
  path: string;
  permissionsBoundaryArn: string | undefined;
  tags: Record<string, string>;
  groups: string[];
  /** Managed policies to attach, in order: the self-service policy, then IAMUserChangePassword if needed. */
  policyArns: string[];
}

/**
 * Decides what to create for a user: the request's tags plus the service's (email, when and how
 * onboarded), the path and boundary, the groups, and the policies. IAMUserChangePassword (in the
 * self-service policy's partition) is added when the account does not let users change their own password,
 * which a user who must reset at first sign-in needs.
 */
export function planUserSetup(
  user: NewUserRequest,
  settings: UserSetupSettings,
  facts: UserSetupFacts,
): UserSetupPlan {
  const policyArns = [settings.selfServicePolicyArn];
  if (!facts.passwordPolicy?.allowUsersToChangePassword) {
    const { partition } = parseArn(settings.selfServicePolicyArn);
    policyArns.push(awsManagedPolicyArn(partition, CHANGE_PASSWORD_POLICY_NAME));
  }
  return {
    userName: user.userName,
    email: user.email,
    path: settings.userPath,
    permissionsBoundaryArn: settings.permissionsBoundaryArn,
    tags: {
      ...user.tags,
      [settings.emailTag]: user.email,
      [ONBOARDED_TAG]: facts.onboardedAt.toISOString(),
      [ONBOARDED_BY_TAG]: `onboardUser request ${facts.requestId}`,
    },
    groups: [...user.groups],
    policyArns,
  };
}
