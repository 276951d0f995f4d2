import type { PasswordPolicyReport } from './report.ts';

/**
 * The counts of one password-policy run, by CloudWatch metric name: `PasswordPolicyUpdated` is 1 when the
 * run wrote the policy (created or tightened it), else 0 (compliant, or a dry run); `ChatPostFailed`, the
 * chat messages that could not be posted. Pure.
 */
export function passwordPolicyMetricValues(report: PasswordPolicyReport): Record<string, number> {
  const written = report.outcome === 'created' || report.outcome === 'updated';
  return { PasswordPolicyUpdated: written ? 1 : 0, ChatPostFailed: report.chat.failed.length };
}
