import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger.ts';
import { countOutcome, metrics, type OutcomeCounts } from './metrics.ts';

/**
 * The middleware every function of the service runs under, to which the function adds its handler last:
 * the logger's Lambda context (keys reset per invocation), the metrics flushed when the invocation ends,
 * and the invocation's `counts`, taken from its result or its error.
 */
export function lambdaHandler<Result>(counts: OutcomeCounts<Result>) {
  return middy<unknown, Result, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(countOutcome(metrics, counts));
}
