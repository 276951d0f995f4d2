/** Base class: the account password policy could not be read or written. */
export class PasswordPolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PasswordPolicyError';
  }
}

/** GetAccountPasswordPolicy failed for a reason other than "no policy yet": nothing was changed. */
export class PasswordPolicyReadError extends PasswordPolicyError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PasswordPolicyReadError';
  }
}

/** UpdateAccountPasswordPolicy failed: the account keeps the policy it had. */
export class PasswordPolicyUpdateError extends PasswordPolicyError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PasswordPolicyUpdateError';
  }
}
