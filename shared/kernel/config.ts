import { z } from 'zod';
import { type Environment, parseEnvironment, unsetWhenEmpty, wholeNumber } from './env.ts';

export interface AwsClientSettings {
  retryMode: 'standard' | 'adaptive' | 'legacy';
  maxAttempts: number;
}

const awsClientEnvironment = z.object({
  AWS_RETRY_MODE: z.preprocess(
    unsetWhenEmpty,
    z
      .enum(['standard', 'adaptive', 'legacy'], { message: "must be 'standard', 'adaptive' or 'legacy'" })
      .optional(),
  ),
  AWS_MAX_ATTEMPTS: wholeNumber(1, 20),
});

/**
 * Reads the SDK retry settings. The SDK's own variable names are honoured; the defaults suit IAM, which
 * throttles hard and early: adaptive mode (client-side rate limiting) and 8 attempts.
 * @throws {ConfigError} naming the malformed variable.
 */
export function loadAwsClientSettings(environment: Environment): AwsClientSettings {
  const settings = parseEnvironment(awsClientEnvironment, environment);
  return { retryMode: settings.AWS_RETRY_MODE ?? 'adaptive', maxAttempts: settings.AWS_MAX_ATTEMPTS ?? 8 };
}
