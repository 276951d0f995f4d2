import { vi } from 'vitest';

/** One CloudWatch embedded-metric-format record as Powertools writes it to the log. */
export interface EmbeddedMetrics {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [field: string]: unknown;
}

/**
 * Runs `action` with stdout captured and returns what it resolved to (or threw), and the embedded-metric
 * records written meanwhile. Set POWERTOOLS_METRICS_DISABLED=false for the handler under test.
 */
export async function captureEmbeddedMetrics<T>(
  action: () => Promise<T>,
): Promise<{ outcome: PromiseSettledResult<T>; records: EmbeddedMetrics[] }> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  let outcome: PromiseSettledResult<T>;
  try {
    outcome = { status: 'fulfilled', value: await action() };
  } catch (error: unknown) {
    outcome = { status: 'rejected', reason: error };
  } finally {
    write.mockRestore();
  }
  const records = lines
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmbeddedMetrics);
  return { outcome, records };
}
