/** The error name the SDK gave an AWS error (its exception class or, for unmodelled errors, the wire code). */
export function awsErrorName(error: unknown): string | undefined {
  if (error instanceof Error) return error.name;
  return undefined;
}

/** A short, readable description of an error for summaries and logs: `Name: message`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}
