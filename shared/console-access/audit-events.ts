import type { AuditEvent } from '../audit/index.ts';
import type { RunSummary } from './summary.ts';
import type { RemovalResult } from './types.ts';

/** The audit events of a run: one per password removed, and one for the run. Pure. */
export function auditEvents(removals: RemovalResult[], summary: RunSummary): AuditEvent[] {
  const removed: AuditEvent[] = removals
    .filter((result) => result.outcome === 'done')
    .map(({ decision, actedAt }) => ({
      detailType: 'ConsolePasswordRemoved',
      ...(actedAt ? { time: actedAt } : {}),
      detail: {
        userName: decision.userName,
        lastUsed: decision.lastUsed?.toISOString() ?? null,
        lastActivity: decision.lastActivity?.toISOString(),
        activitySource: decision.activitySource,
        dueDate: decision.dueDate?.toISOString(),
        removalDate: decision.removalDate?.toISOString(),
        ...(decision.toldDate ? { toldOnFirstNotice: true } : {}),
        reason: decision.reason,
        actedAt: actedAt?.toISOString(),
      },
    }));
  const run: AuditEvent = {
    detailType: 'ConsoleAccessRunCompleted',
    detail: {
      dryRun: summary.dryRun,
      decidedAt: summary.decidedAt,
      reportGeneratedAt: summary.reportGeneratedAt,
      consoleUsers: summary.consoleUsers,
      decisions: summary.decisions,
      counts: summary.counts,
      guard: summary.guard,
      budget: summary.budget,
      failures: summary.failures.length,
    },
  };
  return [...removed, run];
}
