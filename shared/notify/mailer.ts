import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describeError } from '../aws-errors.ts';
import type { MailConfig } from '../config.ts';
import { checkAddress } from './email-address.ts';
import { outboxMailer } from './outbox-mailer.ts';
import { buildRawMail } from './raw-mail.ts';

/**
 * The actions the SES adapter calls; every function that sends mail needs them on the sender identity.
 * SES v2's SendEmail with raw content is authorized as ses:SendRawEmail as well as ses:SendEmail.
 * tests/unit/deployment/permissions.test.ts holds every function's role to the actions its code declares.
 */
export const MAIL_SES_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'] as const;

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string | Uint8Array;
}

/** One rendered mail to one or more recipients: always an HTML and a plain-text part. */
export interface MailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
}

export type SendResult =
  | { status: 'sent'; messageId: string }
  | { status: 'failed'; error: string }
  | { status: 'skipped'; reason: string };

/** The port every use case mails through; adapters: SES v2, disabled, and the npm start file writer. */
export interface Mailer {
  send(message: MailMessage): Promise<SendResult>;
  /** Set when this mailer sends nothing (no sender configured): why. */
  readonly disabledReason?: string;
}

export interface SesMailerOptions {
  /** The verified SES identity mail is sent from. */
  sender: string;
  /** At most this many sends per second (SES rate-limits per account). */
  maxPerSecond: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/**
 * Sends through SES v2 as raw MIME, pacing sends to `maxPerSecond`. Throttling is retried with backoff
 * by the SDK (adaptive retry mode); what still fails comes back as `failed`, never as a throw, so a mail
 * that cannot be sent never blocks enforcement.
 */
export function sesMailer(client: SESv2Client, options: SesMailerOptions): Mailer {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? Date.now;
  const spacingMs = 1000 / options.maxPerSecond;
  let nextSendAt = 0;
  return {
    async send(message) {
      try {
        checkAddress(options.sender);
        message.to.forEach(checkAddress);
      } catch (error: unknown) {
        return { status: 'failed', error: describeError(error) };
      }
      const wait = nextSendAt - clock();
      if (wait > 0) await sleep(wait);
      nextSendAt = Math.max(clock(), nextSendAt) + spacingMs;
      try {
        const data = await buildRawMail(options.sender, message);
        const response = await client.send(
          new SendEmailCommand({
            FromEmailAddress: options.sender,
            Destination: { ToAddresses: message.to },
            Content: { Raw: { Data: data } },
          }),
        );
        return { status: 'sent', messageId: response.MessageId ?? '' };
      } catch (error: unknown) {
        return { status: 'failed', error: describeError(error) };
      }
    },
  };
}

/** A mailer for when no sender is configured: every mail is skipped with the reason. */
export function disabledMailer(reason: string): Mailer {
  return { disabledReason: reason, send: async () => ({ status: 'skipped', reason }) };
}

/**
 * The mailer the settings ask for: SES v2 from SENDER_EMAIL (with a copy of each mail in MAIL_OUTBOX_DIR
 * when set), or a disabled one that says why.
 */
export function mailerFor(config: MailConfig, client: SESv2Client, onCopy?: (path: string) => void): Mailer {
  if (config.sender === undefined) return disabledMailer('SENDER_EMAIL is not set: no mail was sent');
  const ses = sesMailer(client, { sender: config.sender, maxPerSecond: config.maxPerSecond });
  if (config.outboxDir === undefined) return ses;
  return outboxMailer(ses, {
    dir: config.outboxDir,
    sender: config.sender,
    ...(onCopy ? { onWrite: onCopy } : {}),
  });
}
