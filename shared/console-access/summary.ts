import type { CredentialReport } from '../credential-report/index.ts';
import { describeBacklog } from '../nights/index.ts';
import { hasConsolePassword } from './plan/password-activity.ts';
import type {
  ConsoleAccessFailure,
  ConsoleAccessPlan,
  ConsoleAccessSummary,
  ConsoleCounts,
  ConsoleGuard,
  PasswordDecisionKind,
  RemovalResult,
} from './types.ts';

/** A run's summary before mail and audit: what was decided, what became of each removal, what failed. */
export type RunSummary = Omit<ConsoleAccessSummary, 'notifications' | 'audit'>;

type SummaryRow = ConsoleAccessSummary['passwords'][number];

export interface SummaryInput {
  plan: ConsoleAccessPlan;
  removals: RemovalResult[];
  guard: ConsoleGuard;
  failures: ConsoleAccessFailure[];
  report: CredentialReport;
  dryRun: boolean;
}

/**
 * Summarizes a run: counts per decision, every decision but `none` with its outcome, the night's budget,
 * findings, failures, and the counts every report of the run shows. Pure.
 */
export function summarize(input: SummaryInput): RunSummary {
  const { plan, removals, report } = input;
  const decisions: Record<PasswordDecisionKind, number> = { none: 0, warn: 0, remove: 0, exempt: 0, skip: 0 };
  for (const decision of plan.passwords) decisions[decision.decision] += 1;
  const removalOf = new Map(removals.map((result) => [result.decision.userName, result]));
  const passwords: SummaryRow[] = plan.passwords
    .filter((decision) => decision.decision !== 'none')
    .map((decision) => {
      const removal = removalOf.get(decision.userName);
      if (removal === undefined) return { ...decision, outcome: 'reported' as const };
      return {
        ...decision,
        outcome: removal.outcome,
        ...(removal.detail ? { detail: removal.detail } : {}),
      };
    });
  const failures = [
    ...input.failures,
    ...removals
      .filter((result) => result.outcome === 'failed')
      .map((result) => ({
        userName: result.decision.userName,
        step: 'remove console password',
        error: result.detail ?? '',
      })),
  ];
  return {
    dryRun: input.dryRun,
    decidedAt: plan.now.toISOString(),
    reportGeneratedAt: report.generatedAt.toISOString(),
    usersInReport: report.rows.length + report.unreadableRows.length,
    consoleUsers: report.rows.filter(hasConsolePassword).length,
    decisions,
    guard: input.guard,
    budget: plan.budget,
    counts: countPasswords(passwords, plan, failures.length),
    passwords,
    mfa: plan.mfa,
    idle: plan.idle,
    failures,
  };
}

/** What became of the console passwords, counted once for every report of the run. Pure. */
export function countPasswords(
  rows: SummaryRow[],
  findings: Pick<ConsoleAccessPlan, 'mfa' | 'idle'>,
  failures: number,
): ConsoleCounts {
  const count = (test: (row: SummaryRow) => boolean) => rows.filter(test).length;
  return {
    removed: count((row) => row.decision === 'remove' && row.outcome === 'done'),
    wouldRemove: count(
      (row) => row.decision === 'remove' && (row.outcome === 'dry-run' || row.outcome === 'held-by-guard'),
    ),
    warned: count((row) => row.decision === 'warn'),
    firstNotices: count((row) => row.decision === 'warn' && row.firstNotice === true),
    exempt: count((row) => row.decision === 'exempt'),
    held: count((row) => row.decision === 'skip'),
    notNeeded: count((row) => row.outcome === 'skipped'),
    failed: count((row) => row.outcome === 'failed'),
    waiting: count((row) => row.outcome === 'waiting'),
    withoutMfa: findings.mfa.length,
    idle: findings.idle.length,
    failures,
  };
}

/** The removals against tonight's limit, in a line: due, tonight's share, what remains and when it clears. */
export function describeRemovalBudget(summary: Pick<RunSummary, 'budget'>): string {
  return describeBacklog('Removals', 'PASSWORD_REMOVALS_PER_NIGHT', summary.budget);
}
