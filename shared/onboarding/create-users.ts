import type { Logger } from '@aws-lambda-powertools/logger';
import { describeError, IamBusyError, IamEntityNotFoundError } from '../kernel/index.ts';
import { OnboardingFailedError, OnboardingStepError, type RollbackReport } from './errors.ts';
import type { OnboardingIam } from './onboarding-iam.ts';
import { errorCarriesSecret, redactSecrets } from './secrets.ts';
import { signInUrl } from './sign-in-url.ts';
import type { UserSetupPlan } from './user-setup.ts';

/** One user to create: what to create, and the password of its login profile. */
export interface UserSetup {
  plan: UserSetupPlan;
  password: string;
}

/** One user that now exists. */
export interface CreatedUser extends UserSetup {
  userArn: string;
  signInUrl: string;
}

export interface CreationDependencies {
  iam: OnboardingIam;
  log: Pick<Logger, 'info' | 'error'>;
  /** Waits between attempts of a rollback step IAM is too busy for at the moment. */
  sleep: (ms: number) => Promise<void>;
}

interface UndoStep {
  step: string;
  undo: () => Promise<void>;
}

const ROLLBACK_ATTEMPTS = 4;
const ROLLBACK_FIRST_DELAY_MS = 500;

/**
 * Creates the users one after the other, all or none: each step's undo is recorded as soon as the step
 * has succeeded, and when a step fails everything created for the request (every user of a batch) is
 * undone again, last first.
 * @throws {OnboardingFailedError} naming the user and step that failed, and what the rollback did.
 */
export async function createUsers(
  deps: CreationDependencies,
  setups: UserSetup[],
  accountAlias: string | undefined,
): Promise<CreatedUser[]> {
  const undoSteps: UndoStep[] = [];
  const created: CreatedUser[] = [];
  for (const setup of setups) {
    try {
      const userArn = await createUser(deps.iam, setup, undoSteps);
      const url = await step(`reading the sign-in URL from ${userArn}`, async () =>
        signInUrl(userArn, accountAlias),
      );
      created.push({ ...setup, userArn, signInUrl: url });
      const { userName, groups, policyArns } = setup.plan;
      deps.log.info('User created', { userName, userArn, groups, policyArns });
    } catch (error: unknown) {
      const passwords = setups.map(({ password }) => password);
      const rollback = await rollBack(undoSteps, deps, passwords);
      throw failure(setup.plan.userName, error, rollback, passwords, deps);
    }
  }
  return created;
}

/** Runs one step; a failure becomes an `OnboardingStepError` naming it, the original as `cause`. */
async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error: unknown) {
    throw new OnboardingStepError(name, { cause: error });
  }
}

/** Creates one user step by step, recording how to undo each step as soon as it has succeeded. */
async function createUser(iam: OnboardingIam, { plan, password }: UserSetup, undoSteps: UndoStep[]) {
  const { userName } = plan;
  const done = (name: string, undo: () => Promise<void>) => undoSteps.push({ step: name, undo });

  const { arn } = await step(`CreateUser ${userName}`, () =>
    iam.createUser({
      userName,
      path: plan.path,
      tags: plan.tags,
      permissionsBoundaryArn: plan.permissionsBoundaryArn,
    }),
  );
  done(`DeleteUser ${userName}`, () => iam.deleteUser(userName));

  await step(`CreateLoginProfile ${userName}`, () => iam.createLoginProfile(userName, password));
  done(`DeleteLoginProfile ${userName}`, () => iam.deleteLoginProfile(userName));

  for (const group of plan.groups) {
    await step(`AddUserToGroup ${userName} ${group}`, () => iam.addUserToGroup(userName, group));
    done(`RemoveUserFromGroup ${userName} ${group}`, () => iam.removeUserFromGroup(userName, group));
  }
  for (const policyArn of plan.policyArns) {
    await step(`AttachUserPolicy ${userName} ${policyArn}`, () => iam.attachUserPolicy(userName, policyArn));
    done(`DetachUserPolicy ${userName} ${policyArn}`, () => iam.detachUserPolicy(userName, policyArn));
  }
  return arn;
}

/**
 * Undoes the recorded steps, last first. A step is retried while IAM is busy (throttled, or the entity
 * still settling after its creation); one that finds its entity already gone counts as undone; one that
 * still fails is reported and the rest are tried anyway.
 */
async function rollBack(
  undoSteps: UndoStep[],
  deps: CreationDependencies,
  secrets: string[],
): Promise<RollbackReport> {
  const report: RollbackReport = { undone: [], failed: [] };
  for (const { step: name, undo } of [...undoSteps].reverse()) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await undo();
        report.undone.push(name);
        break;
      } catch (error: unknown) {
        if (error instanceof IamEntityNotFoundError) {
          report.undone.push(`${name} (already gone)`);
          break;
        }
        if (error instanceof IamBusyError && attempt < ROLLBACK_ATTEMPTS) {
          await deps.sleep(ROLLBACK_FIRST_DELAY_MS * 2 ** (attempt - 1));
          continue;
        }
        report.failed.push({ step: name, error: redactSecrets(describeError(error), secrets) });
        break;
      }
    }
  }
  return report;
}

/** The error a failed creation ends in, logged; the password never in it, nor in its cause. */
function failure(
  userName: string,
  error: unknown,
  rollback: RollbackReport,
  passwords: string[],
  deps: CreationDependencies,
): OnboardingFailedError {
  const { step: failedStep, cause } =
    error instanceof OnboardingStepError ? error : { step: 'an unnamed step', cause: error };
  const failed = new OnboardingFailedError(
    { userName, step: failedStep, error: redactSecrets(describeError(cause), passwords), rollback },
    errorCarriesSecret(cause, passwords) ? {} : { cause },
  );
  deps.log.error('Onboarding failed and was rolled back', {
    userName,
    step: failedStep,
    error: failed.message,
    rollback,
  });
  return failed;
}
