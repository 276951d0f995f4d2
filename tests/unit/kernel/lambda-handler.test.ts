import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../scripts/local-invoke.ts';
import { lambdaHandler } from '../../../shared/kernel/lambda-handler.ts';
import { logger } from '../../../shared/kernel/logger.ts';
import { metrics } from '../../../shared/kernel/metrics.ts';

const context = lambdaContext('someFunction') as Context;

function spies() {
  return {
    addContext: vi.spyOn(logger, 'addContext'),
    addMetric: vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics),
    flush: vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('lambdaHandler', () => {
  it('gives the logger the Lambda context, counts the result and flushes the metrics', async () => {
    const { addContext, addMetric, flush } = spies();
    const handler = lambdaHandler({
      onSuccess: (result: { done: number }) => ({ Done: result.done }),
    }).handler(async () => ({ done: 2 }));

    await expect(handler({}, context)).resolves.toEqual({ done: 2 });

    expect(addContext).toHaveBeenCalledWith(context);
    expect(addMetric.mock.calls).toEqual([['Done', 'Count', 2]]);
    expect(flush).toHaveBeenCalledTimes(1);
    // Counted before the flush, so the counts go out with this invocation.
    expect(addMetric.mock.invocationCallOrder[0]).toBeLessThan(flush.mock.invocationCallOrder[0] ?? 0);
  });

  it('counts a failed invocation from its error, flushes, and throws the error unchanged', async () => {
    const { addMetric, flush } = spies();
    const failure = new Error('boom');
    const handler = lambdaHandler({
      onSuccess: () => ({ Done: 1 }),
      onError: () => ({ Failed: 1 }),
    }).handler(async () => {
      throw failure;
    });

    await expect(handler({}, context)).rejects.toBe(failure);

    expect(addMetric.mock.calls).toEqual([['Failed', 'Count', 1]]);
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('resets the keys an invocation appended to the logger once it ends', async () => {
    spies();
    const resetKeys = vi.spyOn(logger, 'resetKeys');
    const handler = lambdaHandler({ onSuccess: () => ({}) }).handler(async () => {
      logger.appendKeys({ userName: 'bob' });
      expect(resetKeys).not.toHaveBeenCalled();
      return {};
    });

    await handler({}, context);

    expect(resetKeys).toHaveBeenCalledTimes(1);
  });
});
