import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emulatorControl } from './control.ts';
import { EmulatorError } from './errors.ts';

/** One Lambda function as the bridge runs it: the event in, the handler's result (or its throw) out. */
export type BridgedHandler = (event: unknown, functionName: string) => Promise<unknown>;

/**
 * Thrown by a bridged handler to make the emulator answer as the Lambda service does when it cannot run
 * the function at all (HTTP 429 `TooManyRequestsException`, 500 `ServiceException`), not as a function
 * error. Step Functions sees these as `Lambda.<errorType>`.
 */
export class LambdaServiceError extends Error {
  readonly errorType: string;
  readonly status: number;

  constructor(errorType: 'TooManyRequestsException' | 'ServiceException', status = 429, message?: string) {
    super(message ?? `Lambda answered ${errorType}`);
    this.name = 'LambdaServiceError';
    this.errorType = errorType;
    this.status = status;
  }
}

/** One invocation the bridge answered, in arrival order. */
export interface BridgedInvocation {
  functionName: string;
  event: unknown;
  /** `ok`: a result; `function-error`: the handler threw; `service-error`: a LambdaServiceError. */
  outcome: 'ok' | 'function-error' | 'service-error';
}

export interface LambdaBridge {
  url: string;
  invocations: BridgedInvocation[];
  /** Turns the emulator's bridge off and closes the callback server. */
  stop(): Promise<void>;
}

/**
 * Makes the emulator at `endpoint` answer Lambda Invoke requests, including those Step Functions' Lambda
 * tasks send, with `handlers` (by function name) run in this process: a callback server on 127.0.0.1 that
 * the harness forwards each invocation to (see scripts/emulator/moto-harness.py). A function with no
 * handler is answered `ResourceNotFoundException`; a thrown error is a function error with the
 * `errorType` the Node.js runtime reports (the error's name), which Step Functions matches in Retry and
 * Catch. A moto reset turns the bridge off.
 * @throws EmulatorError when the emulator refuses the bridge.
 */
export async function startLambdaBridge(
  endpoint: string,
  handlers: Record<string, BridgedHandler>,
): Promise<LambdaBridge> {
  const invocations: BridgedInvocation[] = [];
  const server = createServer((request, response) => {
    answer(request, response, handlers, invocations).catch((error: unknown) => {
      reply(response, 500, { errorType: 'ServiceException', message: `bridge failure: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  const control = emulatorControl(endpoint);
  try {
    await control.setLambdaBridge(url);
  } catch (error: unknown) {
    server.close();
    throw new EmulatorError(`The emulator at ${endpoint} refused the Lambda bridge`, { cause: error });
  }
  return {
    url,
    invocations,
    async stop() {
      await control.setLambdaBridge(null).catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  handlers: Record<string, BridgedHandler>,
  invocations: BridgedInvocation[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const { functionName, payload } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    functionName: string;
    payload: string;
  };
  const handler = handlers[functionName];
  if (handler === undefined) {
    reply(response, 404, {
      errorType: 'ResourceNotFoundException',
      message: `Function not found: ${functionName} (the Lambda bridge has ${Object.keys(handlers).join(', ')})`,
    });
    return;
  }
  const event: unknown = payload === '' ? {} : JSON.parse(payload);
  try {
    const result = await handler(event, functionName);
    invocations.push({ functionName, event, outcome: 'ok' });
    reply(response, 200, { payload: JSON.stringify(result ?? null) });
  } catch (error: unknown) {
    if (error instanceof LambdaServiceError) {
      invocations.push({ functionName, event, outcome: 'service-error' });
      reply(response, error.status, { errorType: error.errorType, message: error.message });
      return;
    }
    invocations.push({ functionName, event, outcome: 'function-error' });
    const thrown = error instanceof Error ? error : new Error(String(error));
    // The Node.js runtime's shape for an unhandled error.
    const body = { errorType: thrown.name, errorMessage: thrown.message, trace: [] };
    reply(response, 200, { payload: JSON.stringify(body), functionError: 'Unhandled' });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
