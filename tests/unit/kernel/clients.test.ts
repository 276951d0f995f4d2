import type { NodeHttpHandlerOptions } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_TIMEOUT_MS,
  createEventBridgeClient,
  createIamClient,
  createSesClient,
  createStepFunctionsClient,
  SOCKET_IDLE_TIMEOUT_MS,
} from '../../../shared/kernel/clients.ts';

const settings = { retryMode: 'adaptive', maxAttempts: 8 } as const;

/** The options the client's HTTP handler resolved: read from its (internal) provider, as no request is made. */
async function handlerOptions(client: {
  config: { requestHandler: unknown };
}): Promise<NodeHttpHandlerOptions> {
  const handler = client.config.requestHandler as { configProvider?: Promise<NodeHttpHandlerOptions> };
  if (handler.configProvider === undefined) throw new Error('not the SDK NodeHttpHandler');
  return handler.configProvider;
}

describe('AWS clients', () => {
  // The SDK's default is no timeout: one answer that never comes would hold the run until Lambda kills it.
  it.each([
    ['IAM', () => createIamClient(settings)],
    ['EventBridge', () => createEventBridgeClient(settings)],
    ['SES v2', () => createSesClient(settings)],
    ['Step Functions', () => createStepFunctionsClient(settings)],
  ])('%s drops a silent connection and retries instead of waiting forever', async (_service, create) => {
    const client = create();
    const options = await handlerOptions(client);
    expect(options.socketTimeout).toBe(SOCKET_IDLE_TIMEOUT_MS);
    expect(options.connectionTimeout).toBe(CONNECTION_TIMEOUT_MS);
    // Long enough for a slow answer, far shorter than the function's 300 s.
    expect(SOCKET_IDLE_TIMEOUT_MS).toBeGreaterThanOrEqual(5_000);
    expect(SOCKET_IDLE_TIMEOUT_MS).toBeLessThanOrEqual(30_000);
    expect(await client.config.maxAttempts()).toBe(8);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
  });
});
