/** A measured run or a packaging step of the bench could not be made or did not finish cleanly. */
export class BenchRunError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BenchRunError';
  }
}
