import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

/**
 * The service's CloudWatch metrics, written as embedded metric format in the function's log (no API
 * call, no extra permission): namespace `KeyHygiene`, dimension `service=key-hygiene` (both fixed here,
 * which Powertools lets win over its environment variables; the alarms in serverless.yml watch them).
 * POWERTOOLS_METRICS_DISABLED=true turns them off for local runs and tests.
 */
export const metrics = new Metrics({ namespace: 'KeyHygiene', serviceName: 'key-hygiene' });

/** The counts one invocation adds, by metric name: from its result, and, when it fails, from its error. */
export interface OutcomeCounts<Result> {
  onSuccess: (result: Result) => Record<string, number>;
  onError?: (error: unknown) => Record<string, number>;
}

/**
 * A middy middleware that adds an invocation's counts to `metrics` (as Count metrics) once the handler has
 * returned or thrown. Use it after Powertools' `logMetrics`, which then flushes them: middy runs `after` and
 * `onError` in reverse order. It never changes the response or the error.
 */
export function countOutcome<Result>(
  target: Pick<Metrics, 'addMetric'>,
  counts: OutcomeCounts<Result>,
): MiddlewareObj<unknown, Result> {
  const add = (values: Record<string, number>) => {
    for (const [name, value] of Object.entries(values)) target.addMetric(name, MetricUnit.Count, value);
  };
  return {
    after: (request) => {
      if (request.response !== null) add(counts.onSuccess(request.response));
    },
    onError: (request) => {
      if (counts.onError) add(counts.onError(request.error));
    },
  };
}
