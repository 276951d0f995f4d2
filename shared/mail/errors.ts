/** An address is unusable: empty, malformed, or carrying CR/LF (header injection). */
export class InvalidAddressError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidAddressError';
  }
}
