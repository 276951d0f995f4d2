import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { describeError } from '../kernel/index.ts';

/**
 * The actions this adapter calls; every function that publishes audit events needs them on its bus (for
 * the source AUDIT_EVENT_SOURCE only). tests/unit/deployment/permissions.test.ts checks the roles.
 */
export const AUDIT_EVENTBRIDGE_ACTIONS = ['events:PutEvents'] as const;

export const AUDIT_EVENT_SOURCE = 'key-hygiene';
const MAX_ENTRIES_PER_CALL = 10;

export interface AuditEvent {
  detailType: string;
  detail: Record<string, unknown>;
  time?: Date;
}

export interface AuditPublishResult {
  published: number;
  failed: { detailType: string; error: string }[];
}

export interface PublishOptions {
  busName: string;
  /** Further attempts for entries EventBridge refused, with doubling delay. */
  retries?: number;
  initialDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Where audit events go; the use case depends on this, not on EventBridge. */
export type AuditPublisher = (events: AuditEvent[]) => Promise<AuditPublishResult>;

/**
 * Publishes audit events to EventBridge in calls of at most 10 entries, retrying the entries that fail
 * (PutEvents can fail per entry while the call succeeds). Never throws: what could not be published is
 * returned, so a failure to audit never blocks or undoes enforcement.
 */
export async function publishAuditEvents(
  client: EventBridgeClient,
  events: AuditEvent[],
  options: PublishOptions,
): Promise<AuditPublishResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retries = options.retries ?? 3;
  const result: AuditPublishResult = { published: 0, failed: [] };

  for (let start = 0; start < events.length; start += MAX_ENTRIES_PER_CALL) {
    let pending = events.slice(start, start + MAX_ENTRIES_PER_CALL);
    let lastErrors = new Map<AuditEvent, string>();
    for (let attempt = 0; pending.length > 0 && attempt <= retries; attempt += 1) {
      if (attempt > 0) await sleep((options.initialDelayMs ?? 200) * 2 ** (attempt - 1));
      const errors = new Map<AuditEvent, string>();
      try {
        const response = await client.send(
          new PutEventsCommand({ Entries: pending.map((event) => toEntry(event, options.busName)) }),
        );
        const entries = response.Entries ?? [];
        pending.forEach((event, index) => {
          const entry = entries[index];
          if (entry?.ErrorCode) errors.set(event, `${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`.trim());
          else if (entry?.EventId) result.published += 1;
          else errors.set(event, 'no result returned for this entry');
        });
      } catch (error: unknown) {
        for (const event of pending) errors.set(event, describeError(error));
      }
      pending = pending.filter((event) => errors.has(event));
      lastErrors = errors;
    }
    for (const event of pending) {
      result.failed.push({ detailType: event.detailType, error: lastErrors.get(event) ?? 'unknown error' });
    }
  }
  return result;
}

function toEntry(event: AuditEvent, busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: AUDIT_EVENT_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
    ...(event.time ? { Time: event.time } : {}),
  };
}
