import type { OnboardingResult } from './onboard-users.ts';

/** The counts of a request that succeeded, by CloudWatch metric name: every user it created. Pure. */
export function onboardedMetricValues(result: OnboardingResult): Record<string, number> {
  return { UsersOnboarded: result.users.length, OnboardingFailed: 0 };
}

/**
 * The counts of a request that failed, whether refused before anything was created or rolled back after
 * a failed step: a failed request keeps none of its users, so none counts as onboarded. Pure.
 */
export function onboardingFailedMetricValues(): Record<string, number> {
  return { UsersOnboarded: 0, OnboardingFailed: 1 };
}
