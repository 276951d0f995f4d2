import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadChatConfig } from '../../../shared/chat/config.ts';
import { loadAwsClientSettings } from '../../../shared/kernel/config.ts';
import { ConfigError } from '../../../shared/kernel/errors.ts';
import { loadKeyEnforcementConfig } from '../../../shared/key-enforcement/config.ts';
import { loadMailConfig } from '../../../shared/mail/config.ts';

const numRuns = Number(process.env.FAST_CHECK_RUNS ?? '200');

/** Values a person or a template could put in a setting: plausible, nearly right, and anything. */
const settingValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '1',
    '14',
    '90',
    '3650',
    '3651',
    '20',
    '21',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    ' 30 ',
    'ninety',
    'true',
    'false',
    'TRUE',
    'yes',
    'adaptive',
    'standard',
    'legacy',
    'fast',
    '14,7,1',
    '7,,1',
    '1,2,3,4,500',
    'key-hygiene:exempt',
    'tag with spaces',
    'tag#hash',
    'default',
    'arn:aws:events:us-east-1:123456789012:event-bus/default',
    'security-audit',
    'a@example.com',
    'a@example.com, b@example.com',
    'a@example.com\r\nBcc: x@evil.example',
    'not-an-address',
    'example.com',
    'localhost',
    '2026-12-24',
    '2026-12-24T03:00:00Z',
    '2026-02-30',
    '2026-12-24T03:00:00',
    '/tmp/mail',
    'arn:aws:sns:us-east-1:123456789012:key-hygiene-prod-notifications',
    'arn:aws:sns:us-east-1:123456789012:alerts.fifo',
    'arn:aws:sns:us-east-1:123456789012:',
    'key-hygiene-prod-notifications',
  ),
  fc.integer({ min: -10, max: 5000 }).map(String),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
);

const LOADERS: [string, (env: Record<string, string | undefined>) => unknown, string[]][] = [
  [
    'loadKeyEnforcementConfig',
    loadKeyEnforcementConfig,
    [
      'KEY_MAX_AGE_DAYS',
      'KEY_WARNING_DAYS',
      'KEY_INACTIVE_GRACE_DAYS',
      'KEY_UNUSED_DAYS',
      'KEY_WARNING_NOTICE_DAYS',
      'EXEMPT_TAG',
      'KEY_FIRST_NOTICE_DAYS',
      'DRY_RUN',
      'MAX_DEACTIVATIONS_PER_NIGHT',
      'MAX_DELETIONS_PER_NIGHT',
      'MAX_ACTIONS_PER_RUN',
      'KEY_HYGIENE_NOW',
      'EVENT_BUS_NAME',
    ],
  ],
  [
    'loadMailConfig',
    loadMailConfig,
    [
      'SENDER_EMAIL',
      'SECURITY_TEAM_EMAILS',
      'EMAIL_TAG',
      'EMAIL_DOMAIN',
      'MAIL_MAX_PER_SECOND',
      'MAIL_OUTBOX_DIR',
    ],
  ],
  ['loadAwsClientSettings', loadAwsClientSettings, ['AWS_RETRY_MODE', 'AWS_MAX_ATTEMPTS']],
  ['loadChatConfig', loadChatConfig, ['CHAT_TOPIC_ARN']],
];

/** The ConfigError's message, or undefined when the settings load; any other exception fails the property. */
function refusalOf(load: () => unknown): string | undefined {
  try {
    load();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

describe.each(LOADERS)('%s on random environments (fast-check)', (_name, load, variables) => {
  const environment = fc.record(Object.fromEntries(variables.map((variable) => [variable, settingValue])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Record<string, string>>;

  it('loads, or throws a ConfigError naming every variable that is bad on its own', () => {
    fc.assert(
      fc.property(
        environment,
        fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
        (settings, unrelated) => {
          const refusal = refusalOf(() => load({ ...unrelated, ...settings }));
          const badAlone = Object.keys(settings).filter((variable) =>
            refusalOf(() => load({ [variable]: settings[variable] }))?.includes(`${variable}: `),
          );
          if (refusal === undefined) {
            expect(badAlone).toEqual([]);
            return;
          }
          expect(refusal).toMatch(/^Invalid configuration: /);
          for (const variable of badAlone) expect(refusal).toContain(`${variable}: `);
          // Whatever it refuses, it names a variable it was given.
          expect(Object.keys(settings).some((variable) => refusal.includes(variable))).toBe(true);
        },
      ),
      { numRuns },
    );
  });
});
