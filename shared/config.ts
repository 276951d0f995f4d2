import { z } from 'zod';
import { isAddress } from './mail/email-address.ts';
import type { PasswordPolicy } from './password-policy/types.ts';
import { parseIsoInstant } from './kernel/time.ts';

/** A setting in the environment is missing its form or out of range; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

type Environment = Record<string, string | undefined>;

// An empty variable counts as unset, so `FOO=` in a .env file means "use the default".
const unsetWhenEmpty = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(/^\s*\d+\s*$/, { message: `must be a whole number from ${min} to ${max}` })
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .optional(),
  );

const flag = z.preprocess(
  (value) => (typeof value === 'string' ? unsetWhenEmpty(value.trim().toLowerCase()) : value),
  z.enum(['true', 'false'], { message: "must be 'true' or 'false'" }).optional(),
);

const isoTimestamp = z.preprocess(
  unsetWhenEmpty,
  z
    .string()
    .transform((value, context) => {
      const instant = parseIsoInstant(value);
      if (instant === undefined) {
        context.addIssue({
          code: 'custom',
          message:
            'must be a real ISO 8601 date or timestamp with a time zone, e.g. 2026-12-24 or 2026-12-24T03:00:00Z',
        });
        return z.NEVER;
      }
      return instant;
    })
    .optional(),
);

const tagName = z.preprocess(
  unsetWhenEmpty,
  z
    .string()
    .max(128, 'must be at most 128 characters (the IAM tag key limit)')
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, 'may hold only letters, digits, spaces and _ . : / = + - @')
    .optional(),
);

const eventBusName = z.preprocess(
  unsetWhenEmpty,
  z
    .string()
    .max(256, 'must be at most 256 characters')
    // A name, not an ARN: the deployed policy grants PutEvents on this bus of the function's own account.
    .regex(
      /^[A-Za-z0-9/._-]+$/,
      'must be an event bus name of this account and region (letters, digits, / . _ -)',
    )
    .optional(),
);

// arn:<partition>:iam::<account id>:policy/<path><name>, or AWS's own (account `aws`).
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/([\x21-\x7E]+\/)?[\w+=,.@-]{1,128}$/;
const policyArn = z.string().regex(POLICY_ARN, {
  message: 'must be the ARN of an IAM managed policy, e.g. arn:aws:iam::123456789012:policy/name',
});

// IAM's path grammar: `/` alone, or `/` + printable ASCII + `/`, at most 512 characters.
const iamPath = z
  .string()
  .max(512, 'must be at most 512 characters')
  .regex(/^\/([\x21-\x7E]*\/)?$/, {
    message: 'must be an IAM path: / or /division/team/ (starts and ends with /)',
  });

// A group name IAM accepts, without the comma: the list is comma-separated.
const GROUP_NAME = /^[\w+=.@-]{1,128}$/;

const onboardingEnvironment = z.object({
  SELF_SERVICE_POLICY_ARN: z.preprocess(
    unsetWhenEmpty,
    z
      .string({ message: 'must be set: the ARN of the self-service managed policy new users get' })
      .pipe(policyArn),
  ),
  PERMISSIONS_BOUNDARY_ARN: z.preprocess(unsetWhenEmpty, policyArn.optional()),
  USER_PATH: z.preprocess(unsetWhenEmpty, iamPath.optional()),
  ALLOWED_GROUPS: z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const names = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    return names.length === 0 ? undefined : names;
  }, z
    .array(z.string().regex(GROUP_NAME, { message: 'must be IAM group names separated by commas' }))
    .optional()),
  EXEMPT_TAG: tagName,
  EVENT_BUS_NAME: eventBusName,
});

const keyEnforcementEnvironment = z.object({
  KEY_MAX_AGE_DAYS: wholeNumber(1, 3650),
  KEY_WARNING_DAYS: wholeNumber(0, 3650),
  KEY_INACTIVE_GRACE_DAYS: wholeNumber(1, 3650),
  KEY_UNUSED_DAYS: wholeNumber(0, 3650),
  KEY_WARNING_NOTICE_DAYS: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, {
        message: 'must be a comma-separated list of whole days, e.g. 14,7,1',
      })
      .transform((value) => [...new Set(value.split(',').map(Number))].sort((a, b) => b - a))
      .optional(),
  ),
  EXEMPT_TAG: tagName,
  DRY_RUN: flag,
  MAX_ACTIONS_PER_RUN: wholeNumber(0, 10_000),
  KEY_HYGIENE_NOW: isoTimestamp,
  EVENT_BUS_NAME: eventBusName,
});

const passwordPolicyEnvironment = z.object({
  // IAM's own ranges: a value outside them would make UpdateAccountPasswordPolicy fail every night.
  PASSWORD_MIN_LENGTH: wholeNumber(6, 128),
  PASSWORD_MAX_AGE_DAYS: wholeNumber(1, 1095),
  PASSWORD_REUSE_PREVENTION: wholeNumber(1, 24),
  PASSWORD_REQUIRE_SYMBOLS: flag,
  PASSWORD_REQUIRE_NUMBERS: flag,
  PASSWORD_REQUIRE_UPPERCASE: flag,
  PASSWORD_REQUIRE_LOWERCASE: flag,
  PASSWORD_ALLOW_USERS_TO_CHANGE: flag,
  PASSWORD_HARD_EXPIRY: flag,
  DRY_RUN: flag,
  EVENT_BUS_NAME: eventBusName,
});

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

const awsClientEnvironment = z.object({
  AWS_RETRY_MODE: z.preprocess(
    unsetWhenEmpty,
    z
      .enum(['standard', 'adaptive', 'legacy'], { message: "must be 'standard', 'adaptive' or 'legacy'" })
      .optional(),
  ),
  AWS_MAX_ATTEMPTS: wholeNumber(1, 20),
});

/** The rules that decide what happens to a key: pure data, passed to the planner. */
export interface KeyPolicySettings {
  /** An active key older than this many days is deactivated. */
  maxAgeDays: number;
  /** An active key this many days or fewer from its deactivation date is warned. */
  warningDays: number;
  /** An inactive key is deleted once it has stayed inactive this many days. */
  inactiveGraceDays: number;
  /** An active key unused this many days is deactivated; 0 turns the rule off. */
  unusedDays: number;
  /** The user tag whose value `true` or an ISO date exempts the user's keys. */
  exemptTag: string;
  /** Days before deactivation at which the owner is mailed a warning, most distant first (e.g. 14, 7, 1). */
  warningNoticeDays: number[];
}

export interface KeyEnforcementConfig {
  keyPolicy: KeyPolicySettings;
  /** Plan and report only: change nothing, record nothing. */
  dryRun: boolean;
  /** More deactivations + deletions than this planned in one run: act on none. */
  maxActionsPerRun: number;
  /** Overrides the clock the decisions use (forecasts and tests); absent: the real time. */
  now: Date | undefined;
  /** The EventBridge bus that receives audit events. */
  eventBusName: string;
}

export interface PasswordPolicyConfig {
  /** The policy the account is held at, at least: the run never loosens a stricter field. */
  baseline: PasswordPolicy;
  /** Report the drift only: change nothing, publish no event (the security team is still mailed). */
  dryRun: boolean;
  /** The EventBridge bus that receives the PasswordPolicyUpdated event. */
  eventBusName: string;
}

export interface OnboardingConfig {
  /** The managed policy every new user gets: manage their own password, MFA devices and access keys. */
  selfServicePolicyArn: string;
  /** Set on every new user when present: the most their permissions can ever reach. */
  permissionsBoundaryArn: string | undefined;
  /** The IAM path new users are created under. */
  userPath: string;
  /** When set, the only groups a new user may be put in. */
  allowedGroups: string[] | undefined;
  /** The tag that exempts a user from key enforcement: a request may not set it. */
  exemptTag: string;
  /** The EventBridge bus that receives audit events. */
  eventBusName: string;
}

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

export interface AwsClientSettings {
  retryMode: 'standard' | 'adaptive' | 'legacy';
  maxAttempts: number;
}

export const KEY_ENFORCEMENT_DEFAULTS = {
  maxAgeDays: 90,
  warningDays: 14,
  inactiveGraceDays: 30,
  unusedDays: 0,
  warningNoticeDays: [14, 7, 1],
  exemptTag: 'key-hygiene:exempt',
  maxActionsPerRun: 50,
  eventBusName: 'default',
} as const;

/**
 * Reads the key-enforcement settings from the environment.
 * @throws {ConfigError} naming every variable that is malformed or out of range.
 */
export function loadKeyEnforcementConfig(environment: Environment): KeyEnforcementConfig {
  const settings = parseEnvironment(keyEnforcementEnvironment, environment);
  const keyPolicy: KeyPolicySettings = {
    maxAgeDays: settings.KEY_MAX_AGE_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.maxAgeDays,
    warningDays: settings.KEY_WARNING_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.warningDays,
    inactiveGraceDays: settings.KEY_INACTIVE_GRACE_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.inactiveGraceDays,
    unusedDays: settings.KEY_UNUSED_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.unusedDays,
    warningNoticeDays:
      settings.KEY_WARNING_NOTICE_DAYS ??
      defaultNoticeDays(settings.KEY_WARNING_DAYS ?? KEY_ENFORCEMENT_DEFAULTS.warningDays),
    exemptTag: settings.EXEMPT_TAG ?? KEY_ENFORCEMENT_DEFAULTS.exemptTag,
  };
  if (keyPolicy.warningDays >= keyPolicy.maxAgeDays) {
    throw new ConfigError(
      `Invalid configuration: KEY_WARNING_DAYS (${keyPolicy.warningDays}) must be less than KEY_MAX_AGE_DAYS (${keyPolicy.maxAgeDays})`,
    );
  }
  const tooEarly = keyPolicy.warningNoticeDays.filter((days) => days > keyPolicy.warningDays);
  if (tooEarly.length > 0) {
    throw new ConfigError(
      `Invalid configuration: KEY_WARNING_NOTICE_DAYS (${keyPolicy.warningNoticeDays.join(',')}) must not exceed KEY_WARNING_DAYS (${keyPolicy.warningDays}): a key is first warned ${keyPolicy.warningDays} days before its deadline`,
    );
  }
  return {
    keyPolicy,
    dryRun: settings.DRY_RUN === 'true',
    maxActionsPerRun: settings.MAX_ACTIONS_PER_RUN ?? KEY_ENFORCEMENT_DEFAULTS.maxActionsPerRun,
    now: settings.KEY_HYGIENE_NOW,
    eventBusName: settings.EVENT_BUS_NAME ?? KEY_ENFORCEMENT_DEFAULTS.eventBusName,
  };
}

/** 14, 7 and 1 days, within the warning window; a shorter window gets its first notice on entry. */
function defaultNoticeDays(warningDays: number): number[] {
  const within = KEY_ENFORCEMENT_DEFAULTS.warningNoticeDays.filter((days) => days <= warningDays);
  return within[0] === warningDays ? within : [warningDays, ...within];
}

/** The baseline: the CIS AWS Foundations Benchmark's password recommendations. */
export const PASSWORD_POLICY_DEFAULTS: Readonly<PasswordPolicy> = {
  minimumPasswordLength: 14,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
  allowUsersToChangePassword: true,
  maxPasswordAge: 90,
  passwordReusePrevention: 24,
  hardExpiry: false,
};

/**
 * Reads the password-policy baseline and run settings from the environment.
 * @throws {ConfigError} naming every variable that is malformed or outside IAM's range.
 */
export function loadPasswordPolicyConfig(environment: Environment): PasswordPolicyConfig {
  const settings = parseEnvironment(passwordPolicyEnvironment, environment);
  const defaults = PASSWORD_POLICY_DEFAULTS;
  const onOff = (value: 'true' | 'false' | undefined, fallback: boolean) =>
    value === undefined ? fallback : value === 'true';
  return {
    baseline: {
      minimumPasswordLength: settings.PASSWORD_MIN_LENGTH ?? defaults.minimumPasswordLength,
      requireSymbols: onOff(settings.PASSWORD_REQUIRE_SYMBOLS, defaults.requireSymbols),
      requireNumbers: onOff(settings.PASSWORD_REQUIRE_NUMBERS, defaults.requireNumbers),
      requireUppercaseCharacters: onOff(
        settings.PASSWORD_REQUIRE_UPPERCASE,
        defaults.requireUppercaseCharacters,
      ),
      requireLowercaseCharacters: onOff(
        settings.PASSWORD_REQUIRE_LOWERCASE,
        defaults.requireLowercaseCharacters,
      ),
      allowUsersToChangePassword: onOff(
        settings.PASSWORD_ALLOW_USERS_TO_CHANGE,
        defaults.allowUsersToChangePassword,
      ),
      maxPasswordAge: settings.PASSWORD_MAX_AGE_DAYS ?? defaults.maxPasswordAge,
      passwordReusePrevention: settings.PASSWORD_REUSE_PREVENTION ?? defaults.passwordReusePrevention,
      hardExpiry: onOff(settings.PASSWORD_HARD_EXPIRY, defaults.hardExpiry),
    },
    dryRun: settings.DRY_RUN === 'true',
    eventBusName: settings.EVENT_BUS_NAME ?? KEY_ENFORCEMENT_DEFAULTS.eventBusName,
  };
}

/**
 * Reads the onboarding settings from the environment. SELF_SERVICE_POLICY_ARN is required: a user who
 * cannot manage their own password, MFA and keys is not onboarded the way this service promises.
 * @throws {ConfigError} naming every variable that is missing or malformed.
 */
export function loadOnboardingConfig(environment: Environment): OnboardingConfig {
  const settings = parseEnvironment(onboardingEnvironment, environment);
  return {
    selfServicePolicyArn: settings.SELF_SERVICE_POLICY_ARN,
    permissionsBoundaryArn: settings.PERMISSIONS_BOUNDARY_ARN,
    userPath: settings.USER_PATH ?? '/',
    allowedGroups: settings.ALLOWED_GROUPS,
    exemptTag: settings.EXEMPT_TAG ?? KEY_ENFORCEMENT_DEFAULTS.exemptTag,
    eventBusName: settings.EVENT_BUS_NAME ?? KEY_ENFORCEMENT_DEFAULTS.eventBusName,
  };
}

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

/**
 * Reads the SDK retry settings. The SDK's own variable names are honoured; the defaults suit IAM, which
 * throttles hard and early: adaptive mode (client-side rate limiting) and 8 attempts.
 * @throws {ConfigError} naming the malformed variable.
 */
export function loadAwsClientSettings(environment: Environment): AwsClientSettings {
  const settings = parseEnvironment(awsClientEnvironment, environment);
  return { retryMode: settings.AWS_RETRY_MODE ?? 'adaptive', maxAttempts: settings.AWS_MAX_ATTEMPTS ?? 8 };
}

function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  environment: Environment,
): z.output<Schema> {
  const result = schema.safeParse(environment);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const value = environment[variable];
    return `${variable}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
