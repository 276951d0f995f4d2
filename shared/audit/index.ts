// audit: publishes the service's audit events to EventBridge, in batches, never throwing.
export type { AuditEvent, AuditPublisher, AuditPublishResult } from './publish-audit-events.ts';
export { publishAuditEvents } from './publish-audit-events.ts';
