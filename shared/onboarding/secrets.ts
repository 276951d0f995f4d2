const REDACTED = '[redacted]';

/** The text with every occurrence of every secret replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret !== '')
    .reduce((result, secret) => result.split(secret).join(REDACTED), text);
}

/** Whether any secret appears in an error: its message, its stack or its causes. */
export function errorCarriesSecret(error: unknown, secrets: readonly string[], depth = 0): boolean {
  const present = secrets.filter((secret) => secret !== '');
  if (present.length === 0 || depth > 5 || error === null || error === undefined) return false;
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  if (present.some((secret) => text.includes(secret))) return true;
  return error instanceof Error && errorCarriesSecret(error.cause, present, depth + 1);
}
