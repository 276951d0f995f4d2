import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditEvent, AuditPublisher } from '../audit/index.ts';
import { awsErrorName, describeError, IamEntityNotFoundError } from '../kernel/index.ts';
import type { Mailer, SendResult } from '../mail/index.ts';
import {
  type FieldProblem,
  OnboardingError,
  OnboardingFailedError,
  type RollbackReport,
  UnknownGroupError,
  UserAlreadyExistsError,
} from './errors.ts';
import type { OnboardingIam } from './onboarding-iam.ts';
import { type OnboardingRequest, userField } from './onboarding-request.ts';
import {
  type AccountPasswordPolicy,
  generatePassword,
  type PasswordRules,
  passwordPolicyViolations,
  passwordRulesFor,
} from './password.ts';
import { errorCarriesSecret, redactSecrets } from './secrets.ts';
import { signInUrl } from './sign-in-url.ts';
import { planUserSetup, type UserSetupPlan, type UserSetupSettings } from './user-setup.ts';
import { renderWelcomeMail } from './welcome-mail.ts';

export const USER_ONBOARDED_EVENT = 'UserOnboarded';

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
  /** Waits between attempts of a rollback step IAM refused for the moment. */
  sleep?: (ms: number) => Promise<void>;
}

export interface OnboardingSettings extends UserSetupSettings {
  /** The invocation's request id, recorded on each user and in each event. */
  requestId: string;
}

export type AuditOutcome = { status: 'published' } | { status: 'failed'; error: string };

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

interface UndoStep {
  step: string;
  userName: string;
  undo: () => Promise<void>;
}

// IAM can refuse to change an entity it has just created ("temporarily unmodifiable"); these clear up.
const TRANSIENT_ERRORS = new Set([
  'EntityTemporarilyUnmodifiableException',
  'EntityTemporarilyUnmodifiable',
  'ConcurrentModificationException',
  'ConcurrentModification',
]);
const ROLLBACK_ATTEMPTS = 4;
const ROLLBACK_FIRST_DELAY_MS = 500;

/**
 * Onboards the users of a request, all or none: first checks every user and group against the account
 * (no user may exist, every group must), then creates each user (tags, path, boundary), its login profile
 * (a generated password to change at first sign-in), its group memberships and policies. If any step
 * fails, everything this request created (of every user of a batch) is removed again in reverse order.
 * Only once all users exist are welcome mails sent and `UserOnboarded` events published; their failures
 * are reported per user and never undo a user.
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
  const rules = passwordRulesFor(passwordPolicy);
  const newPassword = deps.newPassword ?? ((wanted: PasswordRules) => generatePassword(wanted));
  // Every decision and every password before the first change: a bad one stops the request here.
  const setups = request.users.map((user) => ({
    plan: planUserSetup(user, settings, { passwordPolicy, onboardedAt, requestId: settings.requestId }),
    password: checkedPassword(newPassword(rules), passwordPolicy),
  }));
  const passwords = setups.map((setup) => setup.password);
  deps.log.info('Onboarding checks passed', { users: setups.map((setup) => setup.plan.userName) });

  const undoSteps: UndoStep[] = [];
  const created: { plan: UserSetupPlan; password: string; userArn: string; url: string }[] = [];
  for (const { plan, password } of setups) {
    const progress = { step: `CreateUser ${plan.userName}` };
    try {
      const userArn = await createUser(deps.iam, plan, password, undoSteps, progress);
      progress.step = `reading the sign-in URL from ${userArn}`;
      created.push({ plan, password, userArn, url: signInUrl(userArn, accountAlias) });
      deps.log.info('User created', {
        userName: plan.userName,
        userArn,
        groups: plan.groups,
        policyArns: plan.policyArns,
      });
    } catch (error: unknown) {
      const rollback = await rollBack(undoSteps, deps, passwords);
      const failure = new OnboardingFailedError(
        {
          userName: plan.userName,
          step: progress.step,
          error: redactSecrets(describeError(error), passwords),
          rollback,
        },
        errorCarriesSecret(error, passwords) ? {} : { cause: error },
      );
      deps.log.error('Onboarding failed and was rolled back', {
        userName: plan.userName,
        step: progress.step,
        error: failure.message,
        rollback,
      });
      throw failure;
    }
  }

  const users: OnboardedUser[] = [];
  for (const { plan, password, userArn, url } of created) {
    const welcomeMail = await sendWelcome(deps.mailer, {
      userName: plan.userName,
      email: plan.email,
      signInUrl: url,
      groups: plan.groups,
    });
    if (welcomeMail.status !== 'sent') {
      deps.log.warn('Welcome mail not sent', { userName: plan.userName, welcomeMail });
    }
    const auditEvent = await publishOnboarded(deps.publishAudit, {
      detailType: USER_ONBOARDED_EVENT,
      time: onboardedAt,
      detail: {
        userName: plan.userName,
        userArn,
        path: plan.path,
        groups: plan.groups,
        policyArns: plan.policyArns,
        permissionsBoundaryArn: plan.permissionsBoundaryArn ?? null,
        passwordResetRequired: true,
        signInUrl: url,
        welcomeMail: welcomeMail.status,
        onboardedAt: onboardedAt.toISOString(),
        requestId: settings.requestId,
      },
    });
    if (auditEvent.status === 'failed') {
      deps.log.warn('UserOnboarded event not published', {
        userName: plan.userName,
        error: auditEvent.error,
      });
    }
    deps.log.info('User onboarded', {
      userName: plan.userName,
      signInUrl: url,
      welcomeMail: welcomeMail.status,
      auditEvent: auditEvent.status,
    });
    users.push({
      userName: plan.userName,
      userArn,
      signInUrl: url,
      groups: plan.groups,
      policyArns: plan.policyArns,
      temporaryPassword: password,
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
): Promise<{ passwordPolicy: AccountPasswordPolicy; accountAlias: string | undefined }> {
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

function checkedPassword(password: string, policy: AccountPasswordPolicy): string {
  const violations = passwordPolicyViolations(password, policy);
  if (violations.length > 0) {
    // Never the password itself: only what is wrong with it.
    throw new OnboardingError(
      `A generated password does not satisfy the account's password policy (${violations.join(', ')}); nothing was created`,
    );
  }
  return password;
}

/** Creates one user step by step, recording how to undo each step as soon as it has succeeded. */
async function createUser(
  iam: OnboardingIam,
  plan: UserSetupPlan,
  password: string,
  undoSteps: UndoStep[],
  progress: { step: string },
): Promise<string> {
  const { userName } = plan;
  const { arn } = await iam.createUser({
    userName,
    path: plan.path,
    tags: plan.tags,
    permissionsBoundaryArn: plan.permissionsBoundaryArn,
  });
  undoSteps.push({ step: `DeleteUser ${userName}`, userName, undo: () => iam.deleteUser(userName) });

  progress.step = `CreateLoginProfile ${userName}`;
  await iam.createLoginProfile(userName, password);
  undoSteps.push({
    step: `DeleteLoginProfile ${userName}`,
    userName,
    undo: () => iam.deleteLoginProfile(userName),
  });

  for (const group of plan.groups) {
    progress.step = `AddUserToGroup ${userName} ${group}`;
    await iam.addUserToGroup(userName, group);
    undoSteps.push({
      step: `RemoveUserFromGroup ${userName} ${group}`,
      userName,
      undo: () => iam.removeUserFromGroup(userName, group),
    });
  }
  for (const policyArn of plan.policyArns) {
    progress.step = `AttachUserPolicy ${userName} ${policyArn}`;
    await iam.attachUserPolicy(userName, policyArn);
    undoSteps.push({
      step: `DetachUserPolicy ${userName} ${policyArn}`,
      userName,
      undo: () => iam.detachUserPolicy(userName, policyArn),
    });
  }
  return arn;
}

/**
 * Undoes the recorded steps, last first. A step is retried while IAM calls the entity temporarily
 * unmodifiable; one that finds its entity already gone counts as undone; one that still fails is reported
 * and the rest are tried anyway.
 */
async function rollBack(
  undoSteps: UndoStep[],
  deps: OnboardingDependencies,
  secrets: string[],
): Promise<RollbackReport> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const report: RollbackReport = { undone: [], failed: [] };
  for (const { step, undo } of [...undoSteps].reverse()) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await undo();
        report.undone.push(step);
        break;
      } catch (error: unknown) {
        if (error instanceof IamEntityNotFoundError) {
          report.undone.push(`${step} (already gone)`);
          break;
        }
        const name = awsErrorName(error instanceof Error ? (error.cause ?? error) : error);
        if (attempt < ROLLBACK_ATTEMPTS && name !== undefined && TRANSIENT_ERRORS.has(name)) {
          await sleep(ROLLBACK_FIRST_DELAY_MS * 2 ** (attempt - 1));
          continue;
        }
        report.failed.push({ step, error: redactSecrets(describeError(error), secrets) });
        break;
      }
    }
  }
  undoSteps.length = 0;
  return report;
}

async function sendWelcome(
  mailer: Mailer,
  facts: Parameters<typeof renderWelcomeMail>[0],
): Promise<SendResult> {
  try {
    return await mailer.send(renderWelcomeMail(facts));
  } catch (error: unknown) {
    // The Mailer port promises not to throw; a user who exists is never undone over a mail either way.
    return { status: 'failed', error: describeError(error) };
  }
}

async function publishOnboarded(publish: AuditPublisher, event: AuditEvent): Promise<AuditOutcome> {
  try {
    const result = await publish([event]);
    const failure = result.failed[0];
    return failure === undefined ? { status: 'published' } : { status: 'failed', error: failure.error };
  } catch (error: unknown) {
    return { status: 'failed', error: describeError(error) };
  }
}
