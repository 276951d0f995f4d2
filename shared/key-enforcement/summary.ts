import { describeBacklog } from '../nights/index.ts';
import type {
  EnforcementResult,
  Guard,
  KeyCounts,
  KeyDecisionKind,
  KeyOutcome,
  KeyPlan,
  KeySummaryRow,
  NightBudget,
  ReviewSummary,
  RunFailure,
  RunSummary,
} from './types.ts';

const DECISION_ORDER: KeyDecisionKind[] = ['deactivate', 'delete', 'warn', 'exempt', 'hold', 'none'];
const OUTCOMES: KeyOutcome[] = [
  'done',
  'skipped',
  'failed',
  'dry-run',
  'held-by-guard',
  'waiting',
  'reported',
];

export interface SummaryInput {
  plan: KeyPlan;
  result: EnforcementResult;
  guard: Guard;
  dryRun: boolean;
  reportGeneratedAt: Date;
  usersInReport: number;
  usersReviewed: number;
  review?: ReviewSummary;
  loadFailures: RunFailure[];
}

/** Builds the run summary from the plan and what enforcing it did. Pure. */
export function summarizeRun(input: SummaryInput): RunSummary {
  const { plan, result } = input;
  const decisions = Object.fromEntries(DECISION_ORDER.map((kind) => [kind, 0])) as Record<
    KeyDecisionKind,
    number
  >;
  for (const decision of plan.decisions) decisions[decision.decision] += 1;
  const outcomes = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<KeyOutcome, number>;
  for (const key of result.keys) outcomes[key.outcome] += 1;

  const keys: KeySummaryRow[] = [...result.keys]
    .sort(
      (a, b) =>
        DECISION_ORDER.indexOf(a.decision.decision) - DECISION_ORDER.indexOf(b.decision.decision) ||
        a.decision.userName.localeCompare(b.decision.userName) ||
        a.decision.accessKeyId.localeCompare(b.decision.accessKeyId),
    )
    .map(({ decision, outcome, detail }) => ({
      userName: decision.userName,
      accessKeyId: decision.accessKeyId,
      ageDays: decision.ageDays,
      decision: decision.decision,
      reason: decision.reason,
      outcome,
      ...(detail === undefined ? {} : { detail }),
      ...(decision.deactivationDate ? { deactivationDate: decision.deactivationDate.toISOString() } : {}),
      ...(decision.deletionDate ? { deletionDate: decision.deletionDate.toISOString() } : {}),
    }));

  const failures: RunFailure[] = [
    ...input.loadFailures,
    ...result.keys
      .filter((key) => key.outcome === 'failed' || (key.outcome === 'done' && key.detail !== undefined))
      .map((key) => ({
        userName: key.decision.userName,
        accessKeyId: key.decision.accessKeyId,
        step: key.outcome === 'failed' ? key.decision.decision : `record after ${key.decision.decision}`,
        error: key.detail ?? 'unknown error',
      })),
    ...result.records
      .filter((record) => record.outcome === 'failed')
      .map((record) => ({
        userName: record.change.userName,
        step: 'record keeping',
        error: record.detail ?? 'unknown error',
      })),
  ];

  return {
    dryRun: input.dryRun,
    decidedAt: plan.now.toISOString(),
    reportGeneratedAt: input.reportGeneratedAt.toISOString(),
    usersInReport: input.usersInReport,
    usersReviewed: input.usersReviewed,
    ...(input.review === undefined ? {} : { review: input.review }),
    guard: input.guard,
    budget: plan.budget,
    decisions,
    outcomes,
    counts: countKeys(keys, failures.length, input.review?.exemptKeysNotLookedAt ?? 0),
    keys,
    recordChanges: result.records.map((record) => ({
      userName: record.change.userName,
      reason: record.change.reason,
      outcome: record.outcome,
      ...(record.detail === undefined ? {} : { detail: record.detail }),
    })),
    findings: plan.findings,
    failures,
  };
}

const LIMIT_SETTING = {
  deactivate: 'MAX_DEACTIVATIONS_PER_NIGHT',
  delete: 'MAX_DELETIONS_PER_NIGHT',
} as const;

/**
 * One line per kind of action: how many were due tonight, how many the per-night limit took, how many
 * remain for later nights and when the backlog is expected to clear. Pure.
 */
export function describeBudget(budget: NightBudget): string[] {
  return (['deactivate', 'delete'] as const).map((kind) =>
    describeBacklog(kind === 'deactivate' ? 'Deactivations' : 'Deletions', LIMIT_SETTING[kind], budget[kind]),
  );
}

/** What became of the keys, counted once for every report of the run. Pure. */
export function countKeys(keys: KeySummaryRow[], failures: number, exemptNotLookedAt = 0): KeyCounts {
  const count = (test: (row: KeySummaryRow) => boolean) => keys.filter(test).length;
  const notMade = (row: KeySummaryRow) => row.outcome === 'dry-run' || row.outcome === 'held-by-guard';
  return {
    deactivated: count((row) => row.decision === 'deactivate' && row.outcome === 'done'),
    deleted: count((row) => row.decision === 'delete' && row.outcome === 'done'),
    wouldDeactivate: count((row) => row.decision === 'deactivate' && notMade(row)),
    wouldDelete: count((row) => row.decision === 'delete' && notMade(row)),
    warned: count((row) => row.decision === 'warn'),
    // Exempt keys of users not looked at tonight count too: the report and the tags showed them due.
    exempt: count((row) => row.decision === 'exempt') + exemptNotLookedAt,
    heldForReview: count((row) => row.decision === 'hold'),
    notNeeded: count((row) => row.outcome === 'skipped'),
    failed: count((row) => row.outcome === 'failed'),
    waiting: count((row) => row.outcome === 'waiting'),
    failures,
  };
}
