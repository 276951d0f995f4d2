import { vi } from 'vitest';
import { lambdaContext } from '../../scripts/local-invoke.ts';

/**
 * Imports the real, middy-wrapped enforceKeys handler afresh with the given settings in the environment,
 * as a cold start would: the module reads its configuration when it loads.
 */
export async function loadEnforceKeysHandler(settings: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const { handler } = await import('../../functions/enforce-keys.ts');
  return (event: unknown = {}) => handler(event, lambdaContext('enforceKeys'));
}

/**
 * Imports the real, middy-wrapped enforcePasswordPolicy handler afresh with the given settings in the
 * environment, as a cold start would.
 */
export async function loadEnforcePasswordPolicyHandler(settings: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const { handler } = await import('../../functions/enforce-password-policy.ts');
  return (event: unknown = {}) => handler(event, lambdaContext('enforcePasswordPolicy'));
}

/**
 * Imports the real, middy-wrapped onboardUser handler afresh with the given settings in the environment.
 * The returned function takes the event and, optionally, the request id the Lambda context carries.
 */
export async function loadOnboardUserHandler(settings: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const { handler } = await import('../../functions/onboard-user.ts');
  return (event: unknown, requestId?: string) => {
    const context = lambdaContext('onboardUser');
    return handler(event, requestId === undefined ? context : { ...context, awsRequestId: requestId });
  };
}

/**
 * Imports the real, middy-wrapped enforceConsoleAccess handler afresh with the given settings in the
 * environment, as a cold start would.
 */
export async function loadEnforceConsoleAccessHandler(settings: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const { handler } = await import('../../functions/enforce-console-access.ts');
  return (event: unknown = {}) => handler(event, lambdaContext('enforceConsoleAccess'));
}
