// password-policy: holds the account password policy at a baseline: stricter of both, one full update.
export { loadPasswordPolicyConfig } from './config.ts';
export { enforcePasswordPolicy } from './enforce-password-policy.ts';
export { iamPasswordPolicy } from './iam-password-policy.ts';
export { passwordPolicyMetricValues } from './policy-metrics.ts';
export type { PasswordPolicyReport } from './report.ts';
