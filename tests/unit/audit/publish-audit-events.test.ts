import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_EVENT_SOURCE,
  type AuditEvent,
  publishAuditEvents,
} from '../../../shared/audit/publish-audit-events.ts';

const eventBridgeMock = mockClient(EventBridgeClient);
const client = new EventBridgeClient({ region: 'us-east-1' });
const BUS = 'key-hygiene-audit';

const auditEvent = (n: number): AuditEvent => ({
  detailType: `Key Deactivated ${n}`,
  detail: { userName: `user-${n}`, accessKeyId: `AKIA${n}`, reason: 'older than 90 days' },
});
const auditEvents = (count: number): AuditEvent[] =>
  Array.from({ length: count }, (_, n) => auditEvent(n + 1));

/** A fake PutEvents that refuses the entries `refuse` picks and accepts the rest, as EventBridge does. */
function putEvents(
  refuse: (entry: PutEventsRequestEntry) => PutEventsResultEntry | undefined = () => undefined,
) {
  let nextId = 0;
  return (input: PutEventsCommandInput): Partial<PutEventsCommandOutput> => {
    const entries = (input.Entries ?? []).map((entry) => {
      nextId += 1;
      return refuse(entry) ?? { EventId: `event-${nextId}` };
    });
    return { FailedEntryCount: entries.filter((entry) => entry.ErrorCode).length, Entries: entries };
  };
}

const sentEntries = () =>
  eventBridgeMock.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
const sentDetailTypes = () => sentEntries().map((entries) => entries.map((entry) => entry.DetailType));

let sleeps: number[];
const sleep = async (ms: number) => {
  sleeps.push(ms);
};

beforeEach(() => {
  eventBridgeMock.reset();
  sleeps = [];
});

describe('publishAuditEvents', () => {
  it('sends 23 events in 3 calls of at most 10 entries, each with the source, bus, detail type and detail', async () => {
    eventBridgeMock.on(PutEventsCommand).callsFake(putEvents());
    const events = auditEvents(23);

    const result = await publishAuditEvents(client, events, { busName: BUS, sleep });

    expect(result).toEqual({ published: 23, failed: [] });
    const calls = sentEntries();
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls.flat()).toEqual(
      events.map((event) => ({
        EventBusName: BUS,
        Source: AUDIT_EVENT_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      })),
    );
    expect(AUDIT_EVENT_SOURCE).toBe('key-hygiene');
    expect(JSON.parse(calls[2]?.[2]?.Detail ?? '')).toEqual({
      userName: 'user-23',
      accessKeyId: 'AKIA23',
      reason: 'older than 90 days',
    });
    expect(sleeps).toEqual([]);
  });

  it('sends the event time when the event has one', async () => {
    eventBridgeMock.on(PutEventsCommand).callsFake(putEvents());
    const time = new Date('2026-01-15T03:00:00Z');

    await publishAuditEvents(client, [{ ...auditEvent(1), time }, auditEvent(2)], { busName: BUS, sleep });

    const [entries] = sentEntries();
    expect(entries?.[0]?.Time).toEqual(time);
    expect(entries?.[1]).not.toHaveProperty('Time');
  });

  it('makes no call when there are no events', async () => {
    const result = await publishAuditEvents(client, [], { busName: BUS, sleep });

    expect(result).toEqual({ published: 0, failed: [] });
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });

  it('re-sends only the entries EventBridge refused, after a delay', async () => {
    let refusals = 0;
    eventBridgeMock.on(PutEventsCommand).callsFake(
      putEvents((entry) => {
        if (entry.DetailType === 'Key Deactivated 2' && refusals < 1) {
          refusals += 1;
          return { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' };
        }
        return undefined;
      }),
    );

    const result = await publishAuditEvents(client, auditEvents(3), {
      busName: BUS,
      sleep,
      initialDelayMs: 50,
    });

    expect(result).toEqual({ published: 3, failed: [] });
    expect(sentDetailTypes()).toEqual([
      ['Key Deactivated 1', 'Key Deactivated 2', 'Key Deactivated 3'],
      ['Key Deactivated 2'],
    ]);
    expect(sleeps).toEqual([50]);
  });

  it('retries with doubling delays and returns the entries still refused with their error', async () => {
    eventBridgeMock
      .on(PutEventsCommand)
      .callsFake(
        putEvents((entry) =>
          entry.DetailType === 'Key Deactivated 12' || entry.DetailType === 'Key Deactivated 3'
            ? { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }
            : undefined,
        ),
      );

    const result = await publishAuditEvents(client, auditEvents(13), {
      busName: BUS,
      sleep,
      retries: 2,
      initialDelayMs: 10,
    });

    expect(result).toEqual({
      published: 11,
      failed: [
        { detailType: 'Key Deactivated 3', error: 'InternalFailure: boom' },
        { detailType: 'Key Deactivated 12', error: 'InternalFailure: boom' },
      ],
    });
    expect(sentDetailTypes()).toEqual([
      auditEvents(10).map((event) => event.detailType),
      ['Key Deactivated 3'],
      ['Key Deactivated 3'],
      ['Key Deactivated 11', 'Key Deactivated 12', 'Key Deactivated 13'],
      ['Key Deactivated 12'],
      ['Key Deactivated 12'],
    ]);
    expect(sleeps).toEqual([10, 20, 10, 20]);
  });

  it('retries 3 times from 200 ms by default', async () => {
    eventBridgeMock
      .on(PutEventsCommand)
      .callsFake(putEvents(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' })));

    const result = await publishAuditEvents(client, auditEvents(1), { busName: BUS, sleep });

    expect(result.failed).toHaveLength(1);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(4);
    expect(sleeps).toEqual([200, 400, 800]);
  });

  it('treats an entry missing from the response as refused', async () => {
    eventBridgeMock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] })
      .callsFake(putEvents());

    const result = await publishAuditEvents(client, auditEvents(2), { busName: BUS, sleep });

    expect(result).toEqual({ published: 2, failed: [] });
    expect(sentDetailTypes()).toEqual([['Key Deactivated 1', 'Key Deactivated 2'], ['Key Deactivated 2']]);
  });

  it('retries the whole batch when the call itself throws, and succeeds', async () => {
    eventBridgeMock.on(PutEventsCommand).rejectsOnce(new Error('socket hang up')).callsFake(putEvents());

    const result = await publishAuditEvents(client, auditEvents(3), {
      busName: BUS,
      sleep,
      initialDelayMs: 5,
    });

    expect(result).toEqual({ published: 3, failed: [] });
    expect(sentDetailTypes()).toEqual([
      ['Key Deactivated 1', 'Key Deactivated 2', 'Key Deactivated 3'],
      ['Key Deactivated 1', 'Key Deactivated 2', 'Key Deactivated 3'],
    ]);
    expect(sleeps).toEqual([5]);
  });

  it('reports every event of a batch whose call keeps throwing, and does not throw', async () => {
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('connect ETIMEDOUT'));

    const result = await publishAuditEvents(client, auditEvents(2), { busName: BUS, sleep, retries: 1 });

    expect(result).toEqual({
      published: 0,
      failed: [
        { detailType: 'Key Deactivated 1', error: 'Error: connect ETIMEDOUT' },
        { detailType: 'Key Deactivated 2', error: 'Error: connect ETIMEDOUT' },
      ],
    });
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('does not throw when an event cannot be serialized', async () => {
    eventBridgeMock.on(PutEventsCommand).callsFake(putEvents());
    const unserializable: AuditEvent = { detailType: 'Key Deleted', detail: { size: 1n } };

    const result = await publishAuditEvents(client, [unserializable], { busName: BUS, sleep, retries: 0 });

    expect(result.published).toBe(0);
    expect(result.failed).toEqual([{ detailType: 'Key Deleted', error: expect.stringContaining('BigInt') }]);
  });
});
