/** The local AWS emulator (moto) failed to install, start, stop or answer. */
export class EmulatorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}

/** A control request to the running emulator was refused (unknown user or key, bad input, ...). */
export class EmulatorControlError extends EmulatorError {
  readonly status: number;

  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmulatorControlError';
    this.status = status;
  }
}
