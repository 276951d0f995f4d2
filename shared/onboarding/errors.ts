/** Base class: a user could not be onboarded. */
export class OnboardingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OnboardingError';
  }
}

/** One thing wrong with a request, named by its field (`users[2].email`, `groups[0]`). */
export interface FieldProblem {
  field: string;
  message: string;
}

function describeProblems(problems: FieldProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}

/** The request cannot be carried out as asked; nothing was created. Each problem names its field. */
export class InvalidOnboardingRequestError extends OnboardingError {
  readonly problems: FieldProblem[];

  constructor(problems: FieldProblem[], options?: ErrorOptions & { summary?: string }) {
    super(
      `${options?.summary ?? 'Invalid onboarding request'}; nothing was created: ${describeProblems(problems)}`,
      options,
    );
    this.name = 'InvalidOnboardingRequestError';
    this.problems = problems;
  }
}

/** A requested user name is already taken in the account; nothing was created or changed. */
export class UserAlreadyExistsError extends InvalidOnboardingRequestError {
  constructor(problems: FieldProblem[], options?: ErrorOptions) {
    super(problems, { ...options, summary: 'User already exists' });
    this.name = 'UserAlreadyExistsError';
  }
}

/** A requested group does not exist; nothing was created. */
export class UnknownGroupError extends InvalidOnboardingRequestError {
  constructor(problems: FieldProblem[], options?: ErrorOptions) {
    super(problems, { ...options, summary: 'Unknown group' });
    this.name = 'UnknownGroupError';
  }
}

/**
 * One step of creating a user failed. `step` names it as IAM's call (`AddUserToGroup jane.doe developers`);
 * the error that stopped it is the `cause`. The use case rolls back and reports it as `OnboardingFailedError`.
 */
export class OnboardingStepError extends OnboardingError {
  readonly step: string;

  constructor(step: string, options: ErrorOptions) {
    super(`${step} failed`, options);
    this.name = 'OnboardingStepError';
    this.step = step;
  }
}

/** What undoing a failed onboarding did: the steps undone and those that could not be. */
export interface RollbackReport {
  undone: string[];
  failed: { step: string; error: string }[];
}

/**
 * A step after CreateUser failed. Everything this request created was removed again, in reverse order,
 * unless `rollback.failed` lists what could not be (to remove by hand). The original error is the `cause`.
 */
export class OnboardingFailedError extends OnboardingError {
  readonly userName: string;
  readonly step: string;
  readonly rollback: RollbackReport;

  constructor(
    details: { userName: string; step: string; error: string; rollback: RollbackReport },
    options?: ErrorOptions,
  ) {
    const { userName, step, error, rollback } = details;
    const outcome =
      rollback.failed.length === 0
        ? `Rolled back, nothing remains (${rollback.undone.length === 0 ? 'nothing had been created' : `undone: ${rollback.undone.join(', ')}`})`
        : `ROLLBACK INCOMPLETE, remove by hand: ${rollback.failed
            .map((failure) => `${failure.step} (${failure.error})`)
            .join('; ')}${rollback.undone.length === 0 ? '' : `; undone: ${rollback.undone.join(', ')}`}`;
    super(`Onboarding ${userName} failed at ${step}: ${error}. ${outcome}.`, options);
    this.name = 'OnboardingFailedError';
    this.userName = userName;
    this.step = step;
    this.rollback = rollback;
  }
}
