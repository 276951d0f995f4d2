import { z } from 'zod';
import { type Environment, parseEnvironment, tagName, unsetWhenEmpty, wholeNumber } from '../kernel/index.ts';
import { isAddress } from './email-address.ts';

export interface MailConfig {
  /** The verified SES identity; absent: mail is skipped with one warning. */
  sender: string | undefined;
  securityTeam: string[];
  /** The user tag holding a key owner's address. */
  emailTag: string;
  /** Owners without an email tag or an email-shaped user name get `<user>@emailDomain`, when set. */
  emailDomain: string | undefined;
  maxPerSecond: number;
  /** Local runs: a copy of every mail (HTML and .eml) is written here. */
  outboxDir: string | undefined;
}

const emailAddress = z
  .string()
  .trim()
  .refine((value) => !/[\r\n]/.test(value), 'must not contain a line break')
  .refine((value) => isAddress(value), 'must be an email address');

const mailEnvironment = z.object({
  SENDER_EMAIL: z.preprocess(unsetWhenEmpty, emailAddress.optional()),
  SECURITY_TEAM_EMAILS: z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean)
        : value,
    z.array(emailAddress).optional(),
  ),
  EMAIL_TAG: tagName,
  EMAIL_DOMAIN: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/, {
        message: 'must be a domain name such as example.com',
      })
      .optional(),
  ),
  MAIL_MAX_PER_SECOND: wholeNumber(1, 1000),
  MAIL_OUTBOX_DIR: z.preprocess(unsetWhenEmpty, z.string().optional()),
});

/**
 * Reads the mail settings shared by every function that sends mail.
 * @throws {ConfigError} naming every malformed variable (an address with a line break among them).
 */
export function loadMailConfig(environment: Environment): MailConfig {
  const settings = parseEnvironment(mailEnvironment, environment);
  return {
    sender: settings.SENDER_EMAIL,
    securityTeam: settings.SECURITY_TEAM_EMAILS ?? [],
    emailTag: settings.EMAIL_TAG ?? 'email',
    emailDomain: settings.EMAIL_DOMAIN,
    maxPerSecond: settings.MAIL_MAX_PER_SECOND ?? 10,
    outboxDir: settings.MAIL_OUTBOX_DIR,
  };
}
