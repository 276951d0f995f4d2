// onboarding: validate a request, create users with a forced password change (all or nothing),
// announce them. Invoked by hand.
export { loadOnboardingConfig } from './config.ts';
export type { OnboardingResult } from './onboard-users.ts';
export { onboardUsers } from './onboard-users.ts';
export { onboardingIam } from './onboarding-iam.ts';
export { onboardedMetricValues, onboardingFailedMetricValues } from './onboarding-metrics.ts';
export { parseOnboardingRequest } from './onboarding-request.ts';
export { formatOnboardingResult } from './result-text.ts';
export { CHANGE_PASSWORD_POLICY_NAME, serviceTagKeys } from './user-setup.ts';
