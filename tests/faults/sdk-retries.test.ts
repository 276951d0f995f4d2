import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreateTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it, vi } from 'vitest';
import {
  createEventBridgeClient,
  createIamClient,
  createSesClient,
  createSnsClient,
  SOCKET_IDLE_TIMEOUT_MS,
} from '../../shared/kernel/clients.ts';
import { loadAwsClientSettings } from '../../shared/kernel/config.ts';
import { useFaultHarness } from '../helpers/fault-harness.ts';
import type { AwsService, Fault, UpstreamResponse } from '../helpers/fault-proxy.ts';

const harness = useFaultHarness();

/**
 * One call per service, made with the clients the function ships (adaptive retries, 8 attempts; the chat
 * client 3).
 */
async function callFor(service: AwsService): Promise<() => Promise<{ $metadata: { attempts?: number } }>> {
  const settings = loadAwsClientSettings({});
  vi.stubEnv('AWS_ENDPOINT_URL', harness.proxy.endpoint);
  switch (service) {
    case 'iam': {
      await harness.iam.send(new CreateUserCommand({ UserName: 'probe' }));
      const iam = createIamClient(settings);
      return () => iam.send(new ListAccessKeysCommand({ UserName: 'probe' }));
    }
    case 'events': {
      const events = createEventBridgeClient(settings);
      return () =>
        events.send(
          new PutEventsCommand({ Entries: [{ Source: 'probe', DetailType: 'Probe', Detail: '{}' }] }),
        );
    }
    case 'ses': {
      await createSesClient(settings).send(
        new CreateEmailIdentityCommand({ EmailIdentity: 'probe@example.com' }),
      );
      const ses = createSesClient(settings);
      return () =>
        ses.send(
          new SendEmailCommand({
            FromEmailAddress: 'probe@example.com',
            Destination: { ToAddresses: ['someone@example.com'] },
            Content: { Simple: { Subject: { Data: 'probe' }, Body: { Text: { Data: 'probe' } } } },
          }),
        );
    }
    case 'sns': {
      const sns = createSnsClient(settings, 'us-east-1');
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'probe' }));
      return () => sns.send(new PublishCommand({ TopicArn, Message: '{}' }));
    }
  }
}

const RETRIED: [string, Fault][] = [
  ['its throttling error', { kind: 'throttle' }],
  ['its LimitExceeded error', { kind: 'limit-exceeded' }],
  ['HTTP 500', { kind: 'server-error', status: 500 }],
  ['HTTP 503', { kind: 'server-error', status: 503 }],
  ['a connection reset before the request arrives', { kind: 'reset', when: 'before' }],
  ['a connection reset after the service acted', { kind: 'reset', when: 'after' }],
];

describe('the SDK, as the function configures it, on each service’s real error shapes', () => {
  describe.each<AwsService>(['iam', 'events', 'ses', 'sns'])('%s', (service) => {
    it.each(RETRIED)('retries %s and succeeds', async (_shape, fault) => {
      await harness.control.reset();
      const call = await callFor(service);
      harness.proxy.clearLog();
      harness.proxy.setRules({ fault: (request) => (request.attempt <= 2 ? fault : undefined) });
      const output = await call();
      expect(output.$metadata.attempts).toBe(3);
      expect(harness.proxy.exchanges.map((exchange) => exchange.fault?.kind ?? 'answered')).toEqual([
        fault.kind,
        fault.kind,
        'answered',
      ]);
    });

    it('reads an empty HTTP 200 answer as a success with nothing in it (no retry)', async () => {
      await harness.control.reset();
      const call = await callFor(service);
      harness.proxy.clearLog();
      harness.proxy.setRules({ fault: () => ({ kind: 'empty-answer' }) });
      const output = await call();
      expect(output.$metadata.attempts).toBe(1);
      // The service acted; the caller cannot tell. The IAM adapter refuses such answers (iam-account.ts).
      expect(harness.proxy.exchanges[0]?.emulatorCalls).toHaveLength(1);
    });

    it('does not retry an answer cut short in the middle (a deserialization error)', async () => {
      await harness.control.reset();
      const call = await callFor(service);
      harness.proxy.clearLog();
      harness.proxy.setRules({
        rewrite: (_request, response): UpstreamResponse => ({
          ...response,
          body: response.body.subarray(0, 10),
        }),
      });
      const error = await call().catch(
        (caught: unknown) => caught as Error & { $metadata?: { attempts?: number } },
      );
      expect(error).toBeInstanceOf(Error);
      expect(harness.proxy.exchanges).toHaveLength(1);
    });
  });

  it('gives up after AWS_MAX_ATTEMPTS attempts and passes the last error on', async () => {
    await harness.control.reset();
    vi.stubEnv('AWS_ENDPOINT_URL', harness.proxy.endpoint);
    await harness.iam.send(new CreateUserCommand({ UserName: 'probe' }));
    const iam = createIamClient(loadAwsClientSettings({ AWS_MAX_ATTEMPTS: '3' }));
    harness.proxy.clearLog();
    harness.proxy.setRules({ fault: () => ({ kind: 'server-error', status: 503 }) });
    const error = await iam
      .send(new ListAccessKeysCommand({ UserName: 'probe' }))
      .catch((caught: unknown) => caught as Error & { $metadata?: { attempts?: number } });
    expect(error).toMatchObject({ name: 'ServiceUnavailable', $metadata: { attempts: 3 } });
    expect(harness.proxy.exchanges).toHaveLength(3);
  });

  it(`drops a connection that hangs and retries after ${SOCKET_IDLE_TIMEOUT_MS / 1000} s of silence`, async () => {
    await harness.control.reset();
    const call = await callFor('iam');
    harness.proxy.clearLog();
    harness.proxy.setRules({
      fault: (request) => (request.attempt === 1 ? { kind: 'hang', when: 'before' } : undefined),
    });
    const started = Date.now();
    const output = await call();
    expect(output.$metadata.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SOCKET_IDLE_TIMEOUT_MS);
  });
});
