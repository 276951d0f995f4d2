import type { AuditEvent, AuditPublishResult } from '../../shared/audit/publish-audit-events.ts';
import type { Mailer, MailMessage, SendResult } from '../../shared/mail/types.ts';
import type { OnboardingDependencies, OnboardingLog } from '../../shared/onboarding/onboard-users.ts';
import { FakeOnboardingIam } from './fake-onboarding-iam.ts';

/** Serialises log arguments and errors (with their causes) so a test can search everything that was said. */
export function serialise(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof Error
      ? { ...item, name: item.name, message: item.message, stack: item.stack, cause: item.cause }
      : item,
  );
}

export interface RecordingDependencies extends OnboardingDependencies {
  iam: FakeOnboardingIam;
  logLines: string[];
  mails: MailMessage[];
  events: AuditEvent[];
  sleeps: number[];
  /** What the mailer answers; default: sent. */
  mailResult: (message: MailMessage) => Promise<SendResult>;
  /** What the publisher answers; default: all published. */
  publishResult: (events: AuditEvent[]) => Promise<AuditPublishResult>;
}

/**
 * Dependencies of `onboardUsers` that record everything: the fake IAM account, every log line, mail and
 * event. Passwords come from `passwords` in order, so a test knows the secret it must never see.
 */
export function recordingDependencies(
  passwords: string[],
  iam = new FakeOnboardingIam(),
): RecordingDependencies {
  const logLines: string[] = [];
  const line =
    (level: string) =>
    (...args: unknown[]) => {
      logLines.push(`${level} ${serialise(args)}`);
    };
  const log = { info: line('info'), warn: line('warn'), error: line('error') } as unknown as OnboardingLog;
  const queue = [...passwords];
  const deps: RecordingDependencies = {
    iam,
    logLines,
    mails: [],
    events: [],
    sleeps: [],
    mailResult: async () => ({ status: 'sent', messageId: 'message-1' }),
    publishResult: async (events) => ({ published: events.length, failed: [] }),
    mailer: {
      send: async (message) => {
        deps.mails.push(message);
        return deps.mailResult(message);
      },
    } satisfies Mailer,
    publishAudit: async (events) => {
      deps.events.push(...events);
      return deps.publishResult(events);
    },
    log,
    clock: () => new Date('2026-11-23T10:00:00.000Z'),
    newPassword: () => {
      const next = queue.shift();
      if (next === undefined) throw new Error('the test gave too few passwords');
      return next;
    },
    sleep: async (ms) => {
      deps.sleeps.push(ms);
    },
  };
  return deps;
}
