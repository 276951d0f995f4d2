import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { faultLog, recordFigure } from '../helpers/fault-figures.ts';
import { faultSeeds, useFaultHarness } from '../helpers/fault-harness.ts';
import type { ProxiedRequest, UpstreamResponse } from '../helpers/fault-proxy.ts';
import { ALL_HELD, auditDeliveries } from '../helpers/run-invariants.ts';
import { type SeededRandom, seededRandom } from '../helpers/seeded-random.ts';

const harness = useFaultHarness();
const BUS = 'security-audit';

interface PutEventsBody {
  Entries: { DetailType: string; Detail: string }[];
}

/**
 * PutEvents failing per entry, as EventBridge does: the call succeeds with FailedEntryCount > 0 and an
 * ErrorCode on each refused entry. Only the accepted entries reach the emulator.
 */
function partialFailures(random: SeededRandom, share: number) {
  const refuse = async (
    request: ProxiedRequest,
    forward: (body?: Buffer) => Promise<UpstreamResponse>,
  ): Promise<UpstreamResponse> => {
    const body = JSON.parse(request.body.toString('utf8')) as PutEventsBody;
    const refused = body.Entries.map(() => random.chance(share));
    refuse.count += refused.filter(Boolean).length;
    const accepted = body.Entries.filter((_, index) => !refused[index]);
    let acceptedResults: { EventId?: string }[] = [];
    let headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
    if (accepted.length > 0) {
      const reply = await forward(Buffer.from(JSON.stringify({ ...body, Entries: accepted })));
      if (reply.status !== 200) return reply;
      acceptedResults = (JSON.parse(reply.body.toString('utf8')) as { Entries: { EventId?: string }[] })
        .Entries;
      headers = reply.headers;
    }
    let next = 0;
    const entries = body.Entries.map((_, index) =>
      refused[index]
        ? random.pick([
            { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
            { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' },
          ])
        : (acceptedResults[next++] ?? {}),
    );
    const answer = { FailedEntryCount: refused.filter(Boolean).length, Entries: entries };
    return { status: 200, headers, body: Buffer.from(JSON.stringify(answer)) };
  };
  refuse.count = 0;
  return refuse;
}

async function auditQueue(): Promise<() => Promise<string[]>> {
  const config = {
    endpoint: harness.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'audit' }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await events.send(
    new PutRuleCommand({
      Name: 'all',
      EventBusName: BUS,
      EventPattern: JSON.stringify({ source: ['key-hygiene'] }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'all',
      EventBusName: BUS,
      Targets: [{ Id: 'q', Arn: Attributes?.QueueArn }],
    }),
  );
  return async () => {
    const received: string[] = [];
    for (let empty = 0; empty < 2; ) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      if (!Messages || Messages.length === 0) empty += 1;
      for (const message of Messages ?? []) {
        const event = JSON.parse(message.Body ?? '{}') as { 'detail-type': string; detail: unknown };
        received.push(`${event['detail-type']} ${JSON.stringify(event.detail)}`);
      }
    }
    return received.sort();
  };
}

describe('EventBridge refusing some entries of a PutEvents call (FailedEntryCount > 0)', () => {
  it.each(faultSeeds())(
    'retries the refused entries, reports those never published, and delivers each event once (seed %i)',
    async (seed) => {
      await harness.baseline();
      const account = await harness.freshAccount();
      const received = await auditQueue();
      const refuseSome = partialFailures(seededRandom(seed), 0.5);
      const run = await harness.run(
        {
          exchange: (request, forward) =>
            request.action === 'PutEvents' ? refuseSome(request, forward) : undefined,
        },
        { EVENT_BUS_NAME: BUS },
      );
      const claims = await harness.claimsNotBorneOut(account, run);
      const verdict = await harness.verdict(account, [run], { allNotices: true, claims });
      const audit = run.summary?.audit;
      const calls = run.exchanges.filter((exchange) => exchange.request.action === 'PutEvents').length;
      recordFigure(
        'EventBridge partial failures',
        seed,
        [run],
        JSON.stringify(verdict) === JSON.stringify(ALL_HELD),
        `PutEvents calls: ${calls}, entries refused: ${refuseSome.count}; ${JSON.stringify(audit)}`,
      );

      expect(run.error).toBeUndefined();
      expect(verdict, faultLog([run])).toEqual(ALL_HELD);
      if (audit === undefined || !('published' in audit)) throw new Error('no audit result');
      // Every event is either published or reported failed; delivered exactly the published ones, once.
      expect(audit.published + audit.failed.length).toBe(6);
      const delivered = await received();
      expect(delivered).toEqual(auditDeliveries(run.exchanges).accepted.sort());
      expect(delivered).toHaveLength(audit.published);
      expect(new Set(delivered).size).toBe(delivered.length);
      // Refused entries were retried: more than one call, at most 1 + 3 retries.
      expect(calls).toBeGreaterThan(1);
      expect(calls).toBeLessThanOrEqual(4);
    },
  );
});
