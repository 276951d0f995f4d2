import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** The AWS services the service under test calls; anything else (moto's own routes) passes untouched. */
export type AwsService = 'iam' | 'ses' | 'events' | 'sns';

export interface ProxiedRequest {
  /** 1-based, in arrival order, counting AWS requests only (retries included). */
  index: number;
  service: AwsService;
  /** IAM's or SNS's `Action`, the EventBridge operation (`PutEvents`), or `SendEmail` for SES v2. */
  action: string;
  /** IAM's form parameters (UserName, AccessKeyId, Tags.member.1.Key, ...); empty for JSON services. */
  params: URLSearchParams;
  /** The SDK's attempt number for this call, from its `amz-sdk-request` header (1 when absent). */
  attempt: number;
  /** The caller's app id (AWS_SDK_UA_APP_ID, letters and digits, sent in the user agent), to tell runs apart. */
  app?: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * What the proxy does to one request instead of (or besides) forwarding it:
 * - `throttle`: the service's own throttling error (IAM `Throttling` 400, SES v2 `TooManyRequestsException`
 *   429, EventBridge `ThrottlingException` 400), without reaching the emulator;
 * - `limit-exceeded`: IAM `LimitExceeded` (409), SES v2 / EventBridge `LimitExceededException` (400);
 * - `server-error`: 500 or 503 in the service's error shape;
 * - `reset`: the connection is dropped, `before` the emulator sees the request or `after` it has acted on
 *   it (the answer is lost);
 * - `slow`: forwarded, answered after a delay;
 * - `hang`: never answered (until the client gives up or the proxy closes), `before` or `after` forwarding;
 * - `empty-answer`: forwarded (the emulator acts), then answered HTTP 200 with an empty body, as a broken
 *   middlebox might;
 * - `hold`: kept back until `until` resolves, then forwarded as usual (to order concurrent runs).
 */
export type Fault =
  | { kind: 'throttle' }
  | { kind: 'limit-exceeded' }
  | { kind: 'server-error'; status: 500 | 503 }
  | { kind: 'reset'; when: 'before' | 'after' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'hang'; when: 'before' | 'after' }
  | { kind: 'empty-answer' }
  | { kind: 'hold'; until: Promise<void> };

/** One request the emulator received for an exchange, and its answer. */
export interface EmulatorCall {
  body: Buffer;
  response: UpstreamResponse;
}

export interface Exchange {
  request: ProxiedRequest;
  fault?: Fault;
  /** What the emulator received (and so may have acted on) for this request, and answered. */
  emulatorCalls: EmulatorCall[];
  /** The HTTP status the client got; undefined when it got none (reset, hang). */
  status?: number;
  /** The body the client got. */
  responseBody?: Buffer;
  /** A held request whose client gave up before the hold ended: never forwarded. */
  abandoned?: boolean;
}

export interface FaultRules {
  /** The fault for this request, if any; called once per request, in arrival order. */
  fault?(request: ProxiedRequest): Fault | undefined;
  /**
   * Takes over a request that got no fault: forward it (or a changed body) as often as wanted and answer
   * with anything. Return (or resolve to) undefined to forward as usual.
   */
  exchange?(
    request: ProxiedRequest,
    forward: (body?: Buffer) => Promise<UpstreamResponse>,
  ): Promise<UpstreamResponse | undefined> | undefined;
  /** Rewrites the emulator's answer before the client sees it; undefined keeps it. */
  rewrite?(request: ProxiedRequest, response: UpstreamResponse): UpstreamResponse | undefined;
  /** Runs after the emulator answered and before the client gets the answer (e.g. to change the account). */
  afterEmulator?(request: ProxiedRequest, response: UpstreamResponse): Promise<void> | void;
}

export interface FaultProxy {
  /** The endpoint to give the SDK as AWS_ENDPOINT_URL. */
  endpoint: string;
  /** Every AWS request so far, with what was done to it. */
  readonly exchanges: Exchange[];
  setRules(rules: FaultRules): void;
  /** Forgets the exchanges (the rules stay). */
  clearLog(): void;
  /** Resolves with the first request (from now on) the predicate accepts, before it is handled. */
  nextRequest(predicate: (request: ProxiedRequest) => boolean): Promise<ProxiedRequest>;
  /** Drops every open connection (hung ones included) and stops listening. */
  close(): Promise<void>;
}

/**
 * A fault-injecting HTTP proxy in front of the emulator, on 127.0.0.1. The SDK reaches it through
 * AWS_ENDPOINT_URL; it tells the services apart by the request (IAM's and SNS's form `Action` and `Version`,
 * EventBridge's `X-Amz-Target`, SES v2's `/v2/email/` paths) and answers with each service's real error
 * shapes.
 */
export async function startFaultProxy(emulatorEndpoint: string, rules: FaultRules = {}): Promise<FaultProxy> {
  const upstream = new URL(emulatorEndpoint);
  let current = rules;
  let count = 0;
  const exchanges: Exchange[] = [];
  const waiters: { predicate: (request: ProxiedRequest) => boolean; resolve: (r: ProxiedRequest) => void }[] =
    [];

  const forward = (
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<UpstreamResponse> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method,
          path,
          headers: { ...headers, host: upstream.host, 'content-length': String(body.length) },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            const responseHeaders: Record<string, string> = {};
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value === undefined || ['content-length', 'transfer-encoding', 'connection'].includes(name))
                continue;
              responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({
              status: incoming.statusCode ?? 502,
              headers: responseHeaders,
              body: Buffer.concat(chunks),
            });
          });
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const answer = (response: ServerResponse, reply: UpstreamResponse) => {
    if (response.destroyed) return;
    response.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
    response.end(reply.body);
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(incoming);
    const method = incoming.method ?? 'GET';
    const path = incoming.url ?? '/';
    const identified = identify(incoming.headers, path, body);
    if (identified === undefined) {
      answer(response, await forward(method, path, incoming.headers, body));
      return;
    }
    count += 1;
    const request: ProxiedRequest = {
      index: count,
      ...identified,
      attempt: attemptOf(incoming.headers),
      ...appOf(incoming.headers),
      method,
      path,
      headers: incoming.headers,
      body,
    };
    for (const waiter of waiters.filter((candidate) => candidate.predicate(request))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(request);
    }
    const rules = current;
    const fault = rules.fault?.(request);
    const exchange: Exchange = { request, emulatorCalls: [], ...(fault ? { fault } : {}) };
    exchanges.push(exchange);
    const send = (reply: UpstreamResponse) => {
      exchange.status = reply.status;
      exchange.responseBody = reply.body;
      answer(response, reply);
    };
    const toEmulator = async (changed?: Buffer) => {
      const sent = changed ?? body;
      const reply = await forward(method, path, incoming.headers, sent);
      exchange.emulatorCalls.push({ body: sent, response: reply });
      return reply;
    };

    if (fault?.kind === 'throttle' || fault?.kind === 'limit-exceeded' || fault?.kind === 'server-error') {
      send(errorReply(request, fault));
      return;
    }
    if (fault?.kind === 'reset' && fault.when === 'before') {
      response.socket?.destroy();
      return;
    }
    if (fault?.kind === 'hang' && fault.when === 'before') return;
    if (fault?.kind === 'hold') {
      await fault.until;
      // A hold orders concurrent runs; it is not a network fault. On a busy machine the client's socket
      // timeout can end the held attempt and the SDK retry it: forwarding the abandoned attempt as well
      // would deliver the same call twice, a duplicate no real network would make.
      if (incoming.socket.destroyed || response.destroyed) {
        exchange.abandoned = true;
        return;
      }
    }

    let reply = (await rules.exchange?.(request, toEmulator)) ?? (await toEmulator());
    reply = rules.rewrite?.(request, reply) ?? reply;
    await rules.afterEmulator?.(request, reply);
    if (fault?.kind === 'reset') {
      response.socket?.destroy();
      return;
    }
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'empty-answer')
      reply = { status: 200, headers: reply.headers, body: Buffer.alloc(0) };
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    send(reply);
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(`fault proxy: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    exchanges,
    setRules(rules) {
      current = rules;
    },
    clearLog() {
      exchanges.length = 0;
    },
    nextRequest(predicate) {
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function identify(
  headers: IncomingHttpHeaders,
  path: string,
  body: Buffer,
): Pick<ProxiedRequest, 'service' | 'action' | 'params'> | undefined {
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('AWSEvents.')) {
    return { service: 'events', action: target.slice('AWSEvents.'.length), params: new URLSearchParams() };
  }
  if (path.startsWith('/v2/email/')) {
    const action = path.startsWith('/v2/email/outbound-emails') ? 'SendEmail' : (path.split('?')[0] ?? path);
    return { service: 'ses', action, params: new URLSearchParams() };
  }
  const contentType = headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action');
    if (action !== null && params.get('Version') === '2010-05-08') return { service: 'iam', action, params };
    if (action !== null && params.get('Version') === '2010-03-31') return { service: 'sns', action, params };
  }
  return undefined;
}

function appOf(headers: IncomingHttpHeaders): { app?: string } {
  // Powertools appends its own marker to the app id (`app/first-PT-...`): keep the leading word.
  const agent = `${headers['x-amz-user-agent'] ?? ''} ${headers['user-agent'] ?? ''}`;
  const match = /(?:^|\s)app\/([A-Za-z0-9]+)/.exec(agent);
  return match?.[1] ? { app: match[1] } : {};
}

function attemptOf(headers: IncomingHttpHeaders): number {
  const value = headers['amz-sdk-request'];
  const match = typeof value === 'string' ? /attempt=(\d+)/.exec(value) : null;
  return match ? Number(match[1]) : 1;
}

const ERROR_CODES: Record<
  AwsService,
  Record<'throttle' | 'limit-exceeded' | '500' | '503', { status: number; code: string; message: string }>
> = {
  iam: {
    throttle: { status: 400, code: 'Throttling', message: 'Rate exceeded' },
    'limit-exceeded': { status: 409, code: 'LimitExceeded', message: 'Rate exceeded' },
    '500': { status: 500, code: 'ServiceFailure', message: 'Service failure' },
    '503': { status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable' },
  },
  ses: {
    throttle: { status: 429, code: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
    'limit-exceeded': {
      status: 400,
      code: 'LimitExceededException',
      message: 'Daily message quota exceeded.',
    },
    '500': { status: 500, code: 'InternalFailure', message: 'Internal failure' },
    '503': { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable' },
  },
  // SNS throttles Publish as `Throttled` (429) and its other calls as the Query APIs' `Throttling` (400).
  sns: {
    throttle: { status: 429, code: 'Throttled', message: 'Rate exceeded' },
    'limit-exceeded': { status: 400, code: 'Throttling', message: 'Rate exceeded' },
    '500': { status: 500, code: 'InternalError', message: 'Internal error' },
    '503': { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable' },
  },
  events: {
    throttle: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
    'limit-exceeded': { status: 400, code: 'LimitExceededException', message: 'Limit exceeded' },
    '500': { status: 500, code: 'InternalException', message: 'Internal error' },
    '503': { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable' },
  },
};

/** The error answer the service itself gives, in its protocol's shape. */
export function errorReply(
  request: Pick<ProxiedRequest, 'service'>,
  fault: Extract<Fault, { kind: 'throttle' | 'limit-exceeded' | 'server-error' }>,
): UpstreamResponse {
  const which = fault.kind === 'server-error' ? (String(fault.status) as '500' | '503') : fault.kind;
  const { status, code, message } = ERROR_CODES[request.service][which];
  const requestId = randomUUID();
  switch (request.service) {
    case 'iam':
    case 'sns': {
      // Query protocol: XML, the code in the body.
      const type = status >= 500 ? 'Receiver' : 'Sender';
      const namespace =
        request.service === 'iam'
          ? 'https://iam.amazonaws.com/doc/2010-05-08/'
          : 'http://sns.amazonaws.com/doc/2010-03-31/';
      const xml = `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: Buffer.from(xml),
      };
    }
    case 'ses':
      // REST-JSON: the code in the x-amzn-ErrorType header, the message in the body.
      return {
        status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`,
        },
        body: Buffer.from(JSON.stringify({ message })),
      };
    case 'events':
      // JSON 1.1: the code in `__type`.
      return {
        status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: Buffer.from(JSON.stringify({ __type: code, message })),
      };
  }
}
