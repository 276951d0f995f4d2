import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describeError, isThrottlingError, logger, readableDate } from '../kernel/index.ts';
import type { MailConfig } from './config.ts';
import { checkAddress } from './email-address.ts';
import { outboxMailer } from './outbox-mailer.ts';
import { buildRawMail } from './raw-mail.ts';
import type { Mailer } from './types.ts';

/**
 * The actions the SES adapter calls; every function that sends mail needs them on the sender identity.
 * SES v2's SendEmail with raw content is authorized as ses:SendRawEmail as well as ses:SendEmail.
 * tests/unit/deployment/permissions.test.ts holds every function's role to the actions its code declares.
 */
export const MAIL_SES_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'] as const;

export interface SesMailerOptions {
  /** The verified SES identity mail is sent from. */
  sender: string;
  /** At most this many sends per second (SES rate-limits per account). */
  maxPerSecond: number;
  /**
   * After this many sends in a row fail for SES's own trouble (throttling, a 5xx, no answer) once the SDK
   * has retried them, the mails that follow are not tried for `pauseMs`: each such send costs up to half a
   * minute of retries, and a run that spends its time on a dead SES never finishes. Default 2.
   */
  maxFailuresInARow?: number;
  /** How long the mailer holds mail back after `maxFailuresInARow`; then one send is tried. Default 10 min. */
  pauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/**
 * Sends through SES v2 as raw MIME, pacing sends to `maxPerSecond`. Throttling is retried with backoff
 * by the SDK (adaptive retry mode); what still fails comes back as `failed`, never as a throw, so a mail
 * that cannot be sent never blocks enforcement. When SES keeps failing, the rest of the mail is held back
 * (reported `failed` without a try) for a while, so the run can finish.
 */
export function sesMailer(client: SESv2Client, options: SesMailerOptions): Mailer {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? Date.now;
  const spacingMs = 1000 / options.maxPerSecond;
  const maxFailuresInARow = options.maxFailuresInARow ?? 2;
  const pauseMs = options.pauseMs ?? 10 * 60_000;
  let nextSendAt = 0;
  let failuresInARow = 0;
  let lastFailure = '';
  let pausedUntil = Number.NEGATIVE_INFINITY;
  return {
    async send(message) {
      try {
        checkAddress(options.sender);
        message.to.forEach(checkAddress);
      } catch (error: unknown) {
        return { status: 'failed', error: describeError(error) };
      }
      if (clock() < pausedUntil) {
        return {
          status: 'failed',
          error: `not tried: SES failed ${failuresInARow} sends in a row (last: ${lastFailure}); mail is held back until ${readableDate(new Date(pausedUntil))}`,
        };
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
        failuresInARow = 0;
        return { status: 'sent', messageId: response.MessageId ?? '' };
      } catch (error: unknown) {
        if (isServiceTrouble(error)) {
          failuresInARow += 1;
          lastFailure = describeError(error);
          if (failuresInARow >= maxFailuresInARow) pausedUntil = clock() + pauseMs;
        }
        return { status: 'failed', error: describeError(error) };
      }
    },
  };
}

const NO_ANSWER = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'TimeoutError']);

/**
 * SES itself is in trouble (throttling, a 5xx, or no answer at all), as opposed to refusing this one
 * message (MessageRejected, an unverified address): only the former says the next mail would fail too.
 */
function isServiceTrouble(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, $metadata } = error as { code?: unknown; $metadata?: { httpStatusCode?: number } };
  if (isThrottlingError(error) || NO_ANSWER.has(error.name)) return true;
  if (typeof code === 'string' && NO_ANSWER.has(code)) return true;
  // The SDK gives every error it returns $metadata; one without an HTTP status got no answer.
  if ($metadata === undefined) return false;
  const status = $metadata.httpStatusCode;
  return status === undefined || status === 429 || status >= 500;
}

/** A mailer for when no sender is configured: every mail is skipped with the reason. */
export function disabledMailer(reason: string): Mailer {
  return { disabledReason: reason, send: async () => ({ status: 'skipped', reason }) };
}

/**
 * The mailer the settings ask for: SES v2 from SENDER_EMAIL (with a copy of each mail in MAIL_OUTBOX_DIR
 * when set, each copy logged unless `onCopy` says otherwise), or a disabled one that says why.
 */
export function mailerFor(
  config: MailConfig,
  client: SESv2Client,
  onCopy: (path: string) => void = (path) => logger.info('Mail copy written', { path }),
): Mailer {
  if (config.sender === undefined) return disabledMailer('SENDER_EMAIL is not set: no mail was sent');
  const ses = sesMailer(client, { sender: config.sender, maxPerSecond: config.maxPerSecond });
  if (config.outboxDir === undefined) return ses;
  return outboxMailer(ses, {
    dir: config.outboxDir,
    sender: config.sender,
    onWrite: onCopy,
  });
}
