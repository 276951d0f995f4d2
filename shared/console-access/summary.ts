import type { CredentialReport } from '../credential-report/index.ts';
import { hasConsolePassword } from './plan/password-activity.ts';
import type {
  ConsoleAccessFailure,
  ConsoleAccessPlan,
  ConsoleAccessSummary,
  PasswordDecisionKind,
  RemovalResult,
} from './types.ts';

/** A run's summary before mail and audit: what was decided, what became of each removal, what failed. */
export type RunSummary = Omit<ConsoleAccessSummary, 'notifications' | 'audit'>;

/** Summarizes a run: counts per decision, every decision but `none` with its outcome, findings, failures. Pure. */
export function summarize(
  plan: ConsoleAccessPlan,
  removals: RemovalResult[],
  guard: ConsoleAccessSummary['guard'],
  failures: ConsoleAccessFailure[],
  report: CredentialReport,
  dryRun: boolean,
): RunSummary {
  const decisions: Record<PasswordDecisionKind, number> = { none: 0, warn: 0, remove: 0, exempt: 0, skip: 0 };
  for (const decision of plan.passwords) decisions[decision.decision] += 1;
  const removalOf = new Map(removals.map((result) => [result.decision.userName, result]));
  return {
    dryRun,
    decidedAt: plan.now.toISOString(),
    reportGeneratedAt: report.generatedAt.toISOString(),
    usersInReport: report.rows.length,
    consoleUsers: report.rows.filter(hasConsolePassword).length,
    decisions,
    guard,
    passwords: plan.passwords
      .filter((decision) => decision.decision !== 'none')
      .map((decision) => {
        const removal = removalOf.get(decision.userName);
        if (removal === undefined) return { ...decision, outcome: 'reported' as const };
        return {
          ...decision,
          outcome: removal.outcome,
          ...(removal.detail ? { detail: removal.detail } : {}),
        };
      }),
    mfa: plan.mfa,
    idle: plan.idle,
    failures: [
      ...failures,
      ...removals
        .filter((result) => result.outcome === 'failed')
        .map((result) => ({
          userName: result.decision.userName,
          step: 'remove console password',
          error: result.detail ?? '',
        })),
    ],
  };
}
