import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditPublisher } from '../audit/index.ts';
import { type AccountPasswordPolicy, describeError } from '../kernel/index.ts';
import type { Mailer, SendResult } from '../mail/index.ts';
import { type AuditOutcome, announceUser } from './announce.ts';
import { createUsers, type UserSetup } from './create-users.ts';
import { type FieldProblem, OnboardingError, UnknownGroupError, UserAlreadyExistsError } from './errors.ts';
import type { OnboardingIam } from './onboarding-iam.ts';
import { type OnboardingRequest, userField } from './onboarding-request.ts';
import {
  generatePassword,
  type PasswordRules,
  passwordPolicyViolations,
  passwordRulesFor,
} from './password.ts';
import { planUserSetup, type UserSetupSettings } from './user-setup.ts';

export type { AuditOutcome } from './announce.ts';
export { USER_ONBOARDED_EVENT } from './announce.ts';

/** The part of the service logger onboarding uses (tests pass a fake). */
export type OnboardingLog = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface OnboardingDependencies {
  iam: OnboardingIam;
  mailer: Mailer;
  publishAudit: AuditPublisher;
  log: OnboardingLog;
  /** The time recorded as the onboarding time. */
  clock: () => Date;
  /** Makes a password following the rules; default: `generatePassword` with node:crypto's randomInt. */
  newPassword?: (rules: PasswordRules) => string;
  /** Waits between attempts of a rollback step IAM is too busy for at the moment. */
  sleep?: (ms: number) => Promise<void>;
}

export interface OnboardingSettings extends UserSetupSettings {
  /** The invocation's request id, recorded on each user and in each event. */
  requestId: string;
}

/** One onboarded user, as returned to the caller, and only to the caller. */
export interface OnboardedUser {
  userName: string;
  userArn: string;
  signInUrl: string;
  groups: string[];
  policyArns: string[];
  /** The first-sign-in password: returned once, here, and nowhere else (not in mail, events or logs). */
  temporaryPassword: string;
  passwordResetRequired: true;
  welcomeMail: SendResult;
  auditEvent: AuditOutcome;
}

export interface OnboardingResult {
  users: OnboardedUser[];
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Onboards the users of a request, all or none. Check: every user name must be free and every group
 * exist, and every user's setup and password is decided before the first change. Create: each user (tags,
 * path, boundary), its login profile (a generated password to change at first sign-in), its group
 * memberships and policies; if any step fails, everything the request created is removed again. Announce:
 * only once all users exist, welcome mails and `UserOnboarded` events, whose failures are reported per user
 * and never undo a user.
 * @throws {UserAlreadyExistsError | UnknownGroupError} from the checks: nothing was created.
 * @throws {OnboardingFailedError} when a step failed: what was created is rolled back (the error lists
 *   any rollback step that failed).
 * @throws {OnboardingError} when the account cannot be checked: nothing was created.
 */
export async function onboardUsers(
  deps: OnboardingDependencies,
  request: OnboardingRequest,
  settings: OnboardingSettings,
): Promise<OnboardingResult> {
  const { passwordPolicy, accountAlias } = await checkAgainstAccount(deps.iam, request);
  const onboardedAt = deps.clock();
  const setups = planSetups(deps, request, settings, passwordPolicy, onboardedAt);
  deps.log.info('Onboarding checks passed', { users: setups.map(({ plan }) => plan.userName) });

  const created = await createUsers({ ...deps, sleep: deps.sleep ?? wait }, setups, accountAlias);

  const users: OnboardedUser[] = [];
  for (const user of created) {
    const { welcomeMail, auditEvent } = await announceUser(deps, user, {
      onboardedAt,
      requestId: settings.requestId,
    });
    const { userName, groups, policyArns } = user.plan;
    if (welcomeMail.status !== 'sent') deps.log.warn('Welcome mail not sent', { userName, welcomeMail });
    if (auditEvent.status === 'failed') {
      deps.log.warn('UserOnboarded event not published', { userName, error: auditEvent.error });
    }
    deps.log.info('User onboarded', {
      userName,
      signInUrl: user.signInUrl,
      welcomeMail: welcomeMail.status,
      auditEvent: auditEvent.status,
    });
    users.push({
      userName,
      userArn: user.userArn,
      signInUrl: user.signInUrl,
      groups,
      policyArns,
      temporaryPassword: user.password,
      passwordResetRequired: true,
      welcomeMail,
      auditEvent,
    });
  }
  return { users };
}

async function checkAgainstAccount(
  iam: OnboardingIam,
  request: OnboardingRequest,
): Promise<{ passwordPolicy: AccountPasswordPolicy | undefined; accountAlias: string | undefined }> {
  try {
    const existing: FieldProblem[] = [];
    const unknownGroups: FieldProblem[] = [];
    const groupExists = new Map<string, boolean>();
    for (const [index, user] of request.users.entries()) {
      if (await iam.userExists(user.userName)) {
        existing.push({
          field: userField(request, index, 'userName'),
          message: `the IAM user ${user.userName} already exists`,
        });
      }
      for (const [position, group] of user.groups.entries()) {
        let exists = groupExists.get(group);
        if (exists === undefined) {
          exists = await iam.groupExists(group);
          groupExists.set(group, exists);
        }
        if (!exists) {
          unknownGroups.push({
            field: userField(request, index, 'groups', position),
            message: `the IAM group ${group} does not exist`,
          });
        }
      }
    }
    if (existing.length > 0) throw new UserAlreadyExistsError([...existing, ...unknownGroups]);
    if (unknownGroups.length > 0) throw new UnknownGroupError(unknownGroups);
    return { passwordPolicy: await iam.passwordPolicy(), accountAlias: await iam.accountAlias() };
  } catch (error: unknown) {
    if (error instanceof OnboardingError) throw error;
    throw new OnboardingError(
      `Could not check the request against the account; nothing was created: ${describeError(error)}`,
      { cause: error },
    );
  }
}

/** Every user's setup and password, decided before the first change: a bad one stops the request here. */
function planSetups(
  deps: OnboardingDependencies,
  request: OnboardingRequest,
  settings: OnboardingSettings,
  passwordPolicy: AccountPasswordPolicy | undefined,
  onboardedAt: Date,
): UserSetup[] {
  const rules = passwordRulesFor(passwordPolicy);
  const newPassword = deps.newPassword ?? ((wanted: PasswordRules) => generatePassword(wanted));
  return request.users.map((user) => ({
    plan: planUserSetup(user, settings, { passwordPolicy, onboardedAt, requestId: settings.requestId }),
    password: checkedPassword(newPassword(rules), passwordPolicy),
  }));
}

function checkedPassword(password: string, policy: AccountPasswordPolicy | undefined): string {
  const violations = passwordPolicyViolations(password, policy);
  if (violations.length > 0) {
    // Never the password itself: only what is wrong with it.
    throw new OnboardingError(
      `A generated password does not satisfy the account's password policy (${violations.join(', ')}); nothing was created`,
    );
  }
  return password;
}
