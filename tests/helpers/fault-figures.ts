import { appendFileSync, mkdirSync } from 'node:fs';
import type { RunRecord } from './fault-harness.ts';
import type { Fault } from './fault-proxy.ts';

/** The measured figures of one faulted scenario run, one JSON line in out/fault-figures.jsonl. */
export interface FaultFigure {
  scenario: string;
  seed: number;
  /** Handler invocations (a killed run and its rerun: 2). */
  invocations: number;
  /** AWS requests the proxy saw, retries included. */
  requests: number;
  /** Faults injected, by `kind/service`. */
  faults: Record<string, number>;
  /** The highest SDK attempt number seen on one call. */
  maxAttempt: number;
  /** Wall time of the invocations, in ms. */
  ms: number;
  /** Every invariant held. */
  held: boolean;
  note?: string;
}

const FIGURES_FILE = new URL('../../out/fault-figures.jsonl', import.meta.url);

/** Appends the figures of a scenario run to out/fault-figures.jsonl (RELIABILITY.md is written from them). */
export function recordFigure(
  scenario: string,
  seed: number,
  runs: RunRecord[],
  held: boolean,
  note?: string,
): FaultFigure {
  const exchanges = runs.flatMap((run) => run.exchanges);
  const faults: Record<string, number> = {};
  for (const exchange of exchanges) {
    if (exchange.fault === undefined || exchange.fault.kind === 'hold') continue;
    const name = `${faultName(exchange.fault)}/${exchange.request.service}`;
    faults[name] = (faults[name] ?? 0) + 1;
  }
  const figure: FaultFigure = {
    scenario,
    seed,
    invocations: runs.length,
    requests: exchanges.length,
    faults,
    maxAttempt: Math.max(0, ...exchanges.map((exchange) => exchange.request.attempt)),
    ms: runs.reduce((sum, run) => sum + run.ms, 0),
    held,
    ...(note === undefined ? {} : { note }),
  };
  mkdirSync(new URL('.', FIGURES_FILE), { recursive: true });
  appendFileSync(FIGURES_FILE, `${JSON.stringify(figure)}\n`);
  return figure;
}

function faultName(fault: Fault): string {
  switch (fault.kind) {
    case 'server-error':
      return `http-${fault.status}`;
    case 'reset':
    case 'hang':
      return `${fault.kind}-${fault.when}`;
    default:
      return fault.kind;
  }
}

/** The faulted requests of runs, one line each, to explain a failed check. */
export function faultLog(runs: RunRecord[]): string {
  return runs
    .flatMap((run, runIndex) =>
      run.exchanges
        .filter((exchange) => exchange.fault !== undefined)
        .map((exchange) => {
          const { request } = exchange;
          const who = request.params.get('UserName') ?? '';
          const to = request.service === 'ses' ? destinationOf(request.body) : '';
          return `run ${runIndex + 1} #${request.index} ${request.service} ${request.action} ${who}${to} attempt ${request.attempt}: ${faultName(exchange.fault as Fault)}${exchange.emulatorCalls.length > 0 ? ' (reached the emulator)' : ''}`;
        }),
    )
    .join('\n');
}

function destinationOf(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { Destination?: { ToAddresses?: string[] } };
    return (parsed.Destination?.ToAddresses ?? []).join(',');
  } catch {
    return '';
  }
}

/** One line per scenario: runs, how many held every invariant, requests, faults injected, time. */
export function summarizeFigures(figures: FaultFigure[]): string {
  const byScenario = new Map<string, FaultFigure[]>();
  for (const figure of figures)
    byScenario.set(figure.scenario, [...(byScenario.get(figure.scenario) ?? []), figure]);
  const lines = [
    '| scenario | runs | all invariants held | requests (mean) | faults injected | time per run (mean) |',
  ];
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [scenario, runs] of byScenario) {
    const mean = (values: number[]) =>
      Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
    const faults = runs.reduce(
      (sum, run) => sum + Object.values(run.faults).reduce((inner, count) => inner + count, 0),
      0,
    );
    lines.push(
      `| ${scenario} | ${runs.length} | ${runs.filter((run) => run.held).length} | ${mean(runs.map((run) => run.requests))} | ${faults} | ${(mean(runs.map((run) => run.ms)) / 1000).toFixed(1)} s |`,
    );
  }
  return lines.join('\n');
}
