/**
 * One measured run, in a process of its own so that its memory peak is its own:
 *
 *   node --import tsx scripts/bench/child-run.ts handler|naive|password-policy|org-digest
 *
 * Started by `measureRun` (measure-in-child.ts) with the emulator's AWS settings in the environment. `handler`
 * imports the real enforceKeys handler and invokes it as Lambda would; `naive` runs the per-user baseline.
 * Sends one `ChildReport` over IPC and exits.
 */

import { loadAwsClientSettings } from '../../shared/kernel/index.ts';
import { loadKeyEnforcementConfig } from '../../shared/key-enforcement/index.ts';
import type { ChildReport, RunKind } from './measure-in-child.ts';

const SAMPLE_EVERY_MS = 10;
const MIB = 1024 * 1024;

async function runOnce(kind: RunKind): Promise<ChildReport['outcome']> {
  if (kind === 'handler') {
    const { handler } = await import('../../functions/enforce-keys.ts');
    const { lambdaContext } = await import('../local-invoke.ts');
    return measured(async () => {
      const summary = await handler({}, lambdaContext('enforceKeys', 900_000));
      return {
        kind,
        usersInReport: summary.usersInReport,
        usersReviewed: summary.usersReviewed,
        deactivated: summary.decisions.deactivate,
        done: summary.outcomes.done,
        failures: summary.failures.length,
        guardTripped: summary.guard.tripped,
      };
    });
  }
  if (kind === 'password-policy') {
    const { handler } = await import('../../functions/enforce-password-policy.ts');
    const { lambdaContext } = await import('../local-invoke.ts');
    return measured(async () => {
      const report = await handler({}, lambdaContext('enforcePasswordPolicy', 60_000));
      return { kind, outcome: report.outcome };
    });
  }
  if (kind === 'org-digest') {
    const event: unknown = JSON.parse(process.env.KEY_HYGIENE_BENCH_EVENT ?? 'null');
    const { handler } = await import('../../functions/org-digest.ts');
    const { lambdaContext } = await import('../local-invoke.ts');
    return measured(async () => {
      const summary = await handler(event, lambdaContext('orgDigest', 300_000));
      return { kind, accounts: summary.totals.accounts, mail: summary.mail.status };
    });
  }
  const { createIamClient } = await import('../../shared/kernel/index.ts');
  const { naiveKeyScan } = await import('./naive-key-scan.ts');
  const config = loadKeyEnforcementConfig(process.env);
  const iam = createIamClient(loadAwsClientSettings(process.env));
  return measured(async () => {
    const result = await naiveKeyScan(iam, {
      now: config.now ?? new Date(),
      maxAgeDays: config.keyPolicy.maxAgeDays,
    });
    return { kind, ...result };
  });
}

let report: Omit<ChildReport, 'outcome'> | undefined;

/** Times `run` and samples the heap while it runs; modules are loaded before, so they are not counted. */
async function measured<T>(run: () => Promise<T>): Promise<T> {
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, SAMPLE_EVERY_MS);
  const started = performance.now();
  try {
    return await run();
  } finally {
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    report = {
      wallMs,
      memory: {
        rssBeforeMib: before.rss / MIB,
        // Linux reports maxRSS in KiB: the process's peak, module loading included.
        peakRssMib: process.resourceUsage().maxRSS / 1024,
        heapBeforeMib: before.heapUsed / MIB,
        peakHeapMib: peakHeap / MIB,
      },
    };
  }
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'handler' && kind !== 'naive' && kind !== 'password-policy' && kind !== 'org-digest') {
    throw new Error('usage: child-run.ts handler|naive|password-policy|org-digest');
  }
  const outcome = await runOnce(kind);
  if (report === undefined) throw new Error('the run finished without a measurement');
  const message: ChildReport = { ...report, outcome };
  // Exit at once: idle keep-alive sockets of the SDK would otherwise hold the process open.
  if (process.send) process.send(message, () => process.exit(0));
  else process.stdout.write(`${JSON.stringify(message)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
