import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The service's CloudWatch metrics, written as embedded metric format in the function's log (no API
 * call, no extra permission). Namespace from POWERTOOLS_METRICS_NAMESPACE (default `KeyHygiene`);
 * POWERTOOLS_METRICS_DISABLED=true turns them off for local runs.
 */
export const metrics = new Metrics({ namespace: 'KeyHygiene', serviceName: 'key-hygiene' });
