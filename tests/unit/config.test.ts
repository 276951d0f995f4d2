import { describe, expect, it } from 'vitest';
import { loadAwsClientSettings } from '../../shared/kernel/config.ts';
import { ConfigError } from '../../shared/kernel/errors.ts';
import { type KeyEnforcementConfig, loadKeyEnforcementConfig } from '../../shared/key-enforcement/config.ts';
import { loadMailConfig } from '../../shared/mail/config.ts';
import { loadOnboardingConfig, type OnboardingConfig } from '../../shared/onboarding/config.ts';
import { configErrorFrom } from '../helpers/config-error.ts';

const KEY_ENFORCEMENT_VARIABLES = [
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
] as const;

const DEFAULT_CONFIG: KeyEnforcementConfig = {
  keyPolicy: {
    maxAgeDays: 90,
    warningDays: 14,
    inactiveGraceDays: 30,
    unusedDays: 0,
    warningNoticeDays: [14, 7, 1],
    exemptTag: 'key-hygiene:exempt',
    firstNoticeDays: 7,
  },
  dryRun: false,
  limits: { deactivations: 50, deletions: 20 },
  now: undefined,
  eventBusName: 'default',
};

describe('loadKeyEnforcementConfig', () => {
  it('returns the defaults when the environment is empty', () => {
    expect(loadKeyEnforcementConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('ignores variables it does not own', () => {
    expect(
      loadKeyEnforcementConfig({ PATH: '/usr/bin', AWS_REGION: 'eu-west-1', AWS_MAX_ATTEMPTS: 'x' }),
    ).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    ['KEY_MAX_AGE_DAYS', '120', (c: KeyEnforcementConfig) => c.keyPolicy.maxAgeDays, 120],
    ['KEY_MAX_AGE_DAYS', ' 45 ', (c: KeyEnforcementConfig) => c.keyPolicy.maxAgeDays, 45],
    ['KEY_MAX_AGE_DAYS', '3650', (c: KeyEnforcementConfig) => c.keyPolicy.maxAgeDays, 3650],
    ['KEY_WARNING_DAYS', '7', (c: KeyEnforcementConfig) => c.keyPolicy.warningDays, 7],
    ['KEY_WARNING_DAYS', '0', (c: KeyEnforcementConfig) => c.keyPolicy.warningDays, 0],
    ['KEY_INACTIVE_GRACE_DAYS', '60', (c: KeyEnforcementConfig) => c.keyPolicy.inactiveGraceDays, 60],
    ['KEY_INACTIVE_GRACE_DAYS', '1', (c: KeyEnforcementConfig) => c.keyPolicy.inactiveGraceDays, 1],
    ['KEY_UNUSED_DAYS', '45', (c: KeyEnforcementConfig) => c.keyPolicy.unusedDays, 45],
    [
      'EXEMPT_TAG',
      'team:exempt-from/keys',
      (c: KeyEnforcementConfig) => c.keyPolicy.exemptTag,
      'team:exempt-from/keys',
    ],
    [
      'EXEMPT_TAG',
      'Ausnahme für Schlüssel',
      (c: KeyEnforcementConfig) => c.keyPolicy.exemptTag,
      'Ausnahme für Schlüssel',
    ],
    ['EXEMPT_TAG', 'a'.repeat(128), (c: KeyEnforcementConfig) => c.keyPolicy.exemptTag, 'a'.repeat(128)],
    ['DRY_RUN', 'true', (c: KeyEnforcementConfig) => c.dryRun, true],
    ['DRY_RUN', 'TRUE', (c: KeyEnforcementConfig) => c.dryRun, true],
    ['DRY_RUN', ' True ', (c: KeyEnforcementConfig) => c.dryRun, true],
    ['DRY_RUN', 'false', (c: KeyEnforcementConfig) => c.dryRun, false],
    ['KEY_FIRST_NOTICE_DAYS', '0', (c: KeyEnforcementConfig) => c.keyPolicy.firstNoticeDays, 0],
    ['KEY_FIRST_NOTICE_DAYS', '3', (c: KeyEnforcementConfig) => c.keyPolicy.firstNoticeDays, 3],
    ['KEY_FIRST_NOTICE_DAYS', '90', (c: KeyEnforcementConfig) => c.keyPolicy.firstNoticeDays, 90],
    ['MAX_DEACTIVATIONS_PER_NIGHT', '0', (c: KeyEnforcementConfig) => c.limits.deactivations, 0],
    ['MAX_DEACTIVATIONS_PER_NIGHT', '5000', (c: KeyEnforcementConfig) => c.limits.deactivations, 5000],
    ['MAX_DELETIONS_PER_NIGHT', '0', (c: KeyEnforcementConfig) => c.limits.deletions, 0],
    ['MAX_DELETIONS_PER_NIGHT', '5000', (c: KeyEnforcementConfig) => c.limits.deletions, 5000],
    ['EVENT_BUS_NAME', 'key-hygiene-audit', (c: KeyEnforcementConfig) => c.eventBusName, 'key-hygiene-audit'],
  ])('reads %s=%j', (variable, value, read, expected) => {
    expect(read(loadKeyEnforcementConfig({ [variable]: value }))).toEqual(expected);
  });

  it.each([
    ['2026-12-24', new Date('2026-12-24T00:00:00.000Z')],
    ['2026-12-24T03:00:00Z', new Date('2026-12-24T03:00:00.000Z')],
    ['2026-12-24T03:00:00.250+02:00', new Date('2026-12-24T01:00:00.250Z')],
    ['2028-02-29', new Date('2028-02-29T00:00:00.000Z')],
  ])('reads KEY_HYGIENE_NOW=%j in a dry run', (value, expected) => {
    expect(loadKeyEnforcementConfig({ KEY_HYGIENE_NOW: value, DRY_RUN: 'true' }).now).toEqual(expected);
  });

  it.each([
    ['unset', {}],
    ['false', { DRY_RUN: 'false' }],
    ['empty', { DRY_RUN: '' }],
  ])(
    'refuses KEY_HYGIENE_NOW when DRY_RUN is %s, naming the variable: it would steer real changes',
    (_case, dryRun) => {
      const error = configErrorFrom(() =>
        loadKeyEnforcementConfig({ KEY_HYGIENE_NOW: '2026-12-24T03:00:00Z', ...dryRun }),
      );

      expect(error.name).toBe('ConfigError');
      expect(error.message).toContain(
        'KEY_HYGIENE_NOW (2026-12-24T03:00:00.000Z) is allowed only with DRY_RUN=true',
      );
    },
  );

  it('reads an empty KEY_HYGIENE_NOW as unset, in a run that changes keys', () => {
    expect(loadKeyEnforcementConfig({ KEY_HYGIENE_NOW: '' }).now).toBeUndefined();
  });

  it('reads every variable together', () => {
    const config = loadKeyEnforcementConfig({
      KEY_MAX_AGE_DAYS: '180',
      KEY_WARNING_DAYS: '21',
      KEY_INACTIVE_GRACE_DAYS: '14',
      KEY_UNUSED_DAYS: '60',
      KEY_WARNING_NOTICE_DAYS: '21,3',
      EXEMPT_TAG: 'exempt',
      DRY_RUN: 'true',
      KEY_FIRST_NOTICE_DAYS: '3',
      MAX_DEACTIVATIONS_PER_NIGHT: '5',
      MAX_DELETIONS_PER_NIGHT: '2',
      KEY_HYGIENE_NOW: '2026-06-01T12:00:00Z',
      EVENT_BUS_NAME: 'audit',
    });

    expect(config).toEqual({
      keyPolicy: {
        maxAgeDays: 180,
        warningDays: 21,
        inactiveGraceDays: 14,
        unusedDays: 60,
        warningNoticeDays: [21, 3],
        exemptTag: 'exempt',
        firstNoticeDays: 3,
      },
      dryRun: true,
      limits: { deactivations: 5, deletions: 2 },
      now: new Date('2026-06-01T12:00:00Z'),
      eventBusName: 'audit',
    });
  });

  it.each(
    KEY_ENFORCEMENT_VARIABLES.flatMap((variable) => [[variable, ''] as const, [variable, '   '] as const]),
  )('uses the default when %s is %j', (variable, value) => {
    expect(loadKeyEnforcementConfig({ [variable]: value })).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    ['KEY_MAX_AGE_DAYS', 'ninety'],
    ['KEY_MAX_AGE_DAYS', '-1'],
    ['KEY_MAX_AGE_DAYS', '1.5'],
    ['KEY_MAX_AGE_DAYS', '1e2'],
    ['KEY_MAX_AGE_DAYS', '0'],
    ['KEY_MAX_AGE_DAYS', '3651'],
    ['KEY_WARNING_DAYS', 'two weeks'],
    ['KEY_WARNING_DAYS', '-3'],
    ['KEY_WARNING_DAYS', '7.5'],
    ['KEY_INACTIVE_GRACE_DAYS', '0'],
    ['KEY_INACTIVE_GRACE_DAYS', '2.5'],
    ['KEY_INACTIVE_GRACE_DAYS', '3651'],
    ['KEY_UNUSED_DAYS', '-1'],
    ['KEY_UNUSED_DAYS', '3651'],
    ['KEY_UNUSED_DAYS', 'never'],
    ['KEY_FIRST_NOTICE_DAYS', 'a week'],
    ['KEY_FIRST_NOTICE_DAYS', '-1'],
    ['KEY_FIRST_NOTICE_DAYS', '91'],
    ['KEY_FIRST_NOTICE_DAYS', '2.5'],
    ['MAX_DEACTIVATIONS_PER_NIGHT', 'lots'],
    ['MAX_DEACTIVATIONS_PER_NIGHT', '-1'],
    ['MAX_DEACTIVATIONS_PER_NIGHT', '5001'],
    ['MAX_DEACTIVATIONS_PER_NIGHT', '0.5'],
    ['MAX_DELETIONS_PER_NIGHT', 'lots'],
    ['MAX_DELETIONS_PER_NIGHT', '-1'],
    ['MAX_DELETIONS_PER_NIGHT', '5001'],
    ['MAX_DELETIONS_PER_NIGHT', '0.5'],
    // Retired: refused whatever its value, rather than ignored.
    ['MAX_ACTIONS_PER_RUN', '50'],
    ['MAX_ACTIONS_PER_RUN', '0'],
    ['DRY_RUN', 'yes'],
    ['DRY_RUN', '1'],
    ['DRY_RUN', 'on'],
    ['KEY_HYGIENE_NOW', 'tomorrow'],
    ['KEY_HYGIENE_NOW', '2026-02-30'],
    ['KEY_HYGIENE_NOW', '2026-04-31'],
    ['KEY_HYGIENE_NOW', '2026-02-29'],
    ['KEY_HYGIENE_NOW', '2026-02-30T03:00:00Z'],
    ['KEY_HYGIENE_NOW', '2026-13-01'],
    ['KEY_HYGIENE_NOW', '2026-12-24T03:00:00'],
    ['KEY_HYGIENE_NOW', '24/12/2026'],
    ['KEY_HYGIENE_NOW', '1798081200000'],
    ['EXEMPT_TAG', 'a'.repeat(129)],
    ['EXEMPT_TAG', 'exempt*'],
    ['EXEMPT_TAG', 'team#keys'],
    ['EVENT_BUS_NAME', 'my bus'],
    ['EVENT_BUS_NAME', 'audit bus!'],
    // An ARN would name a bus the deployed policy does not grant.
    ['EVENT_BUS_NAME', 'arn:aws:events:eu-west-1:123456789012:event-bus/audit'],
  ])('refuses %s=%j with a ConfigError naming the variable and the value', (variable, value) => {
    const error = configErrorFrom(() => loadKeyEnforcementConfig({ [variable]: value }));

    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(`${variable}:`);
    expect(error.message).toContain(`(got ${JSON.stringify(value)})`);
  });

  it('refuses the retired MAX_ACTIONS_PER_RUN, naming what replaced it', () => {
    const error = configErrorFrom(() => loadKeyEnforcementConfig({ MAX_ACTIONS_PER_RUN: '50' }));

    expect(error.message).toContain(
      'MAX_ACTIONS_PER_RUN: is retired: set MAX_DEACTIVATIONS_PER_NIGHT and MAX_DELETIONS_PER_NIGHT instead',
    );
  });

  it('names every bad variable in one error', () => {
    const error = configErrorFrom(() =>
      loadKeyEnforcementConfig({
        KEY_MAX_AGE_DAYS: 'abc',
        KEY_WARNING_DAYS: '-1',
        DRY_RUN: 'yes',
        KEY_HYGIENE_NOW: 'tomorrow',
        EXEMPT_TAG: 'bad*tag',
        EVENT_BUS_NAME: 'my bus',
        KEY_UNUSED_DAYS: '30',
      }),
    );

    for (const [variable, value] of [
      ['KEY_MAX_AGE_DAYS', 'abc'],
      ['KEY_WARNING_DAYS', '-1'],
      ['DRY_RUN', 'yes'],
      ['KEY_HYGIENE_NOW', 'tomorrow'],
      ['EXEMPT_TAG', 'bad*tag'],
      ['EVENT_BUS_NAME', 'my bus'],
    ]) {
      expect(error.message).toContain(`${variable}:`);
      expect(error.message).toContain(JSON.stringify(value));
    }
    expect(error.message).not.toContain('KEY_UNUSED_DAYS');
  });

  it.each([
    [{ KEY_WARNING_DAYS: '90' }, 90, 90],
    [{ KEY_WARNING_DAYS: '100', KEY_MAX_AGE_DAYS: '90' }, 100, 90],
    [{ KEY_WARNING_DAYS: '30', KEY_MAX_AGE_DAYS: '30' }, 30, 30],
    [{ KEY_MAX_AGE_DAYS: '14' }, 14, 14],
    [{ KEY_MAX_AGE_DAYS: '1', KEY_WARNING_DAYS: '3650' }, 3650, 1],
  ])('refuses %j: the warning must come before the deactivation', (environment, warningDays, maxAgeDays) => {
    const error = configErrorFrom(() => loadKeyEnforcementConfig(environment));

    expect(error.message).toContain(`KEY_WARNING_DAYS (${warningDays})`);
    expect(error.message).toContain(`KEY_MAX_AGE_DAYS (${maxAgeDays})`);
  });

  it.each([
    [{ KEY_WARNING_DAYS: '89' }, 89, 90],
    [{ KEY_MAX_AGE_DAYS: '15' }, 14, 15],
    [{ KEY_MAX_AGE_DAYS: '1', KEY_WARNING_DAYS: '0' }, 0, 1],
  ])(
    'accepts %j: a warning one day or more before the deactivation',
    (environment, warningDays, maxAgeDays) => {
      const { keyPolicy } = loadKeyEnforcementConfig(environment);

      expect(keyPolicy).toMatchObject({ warningDays, maxAgeDays });
    },
  );
});

describe('loadAwsClientSettings', () => {
  it('defaults to adaptive retries and 8 attempts when the environment is empty', () => {
    expect(loadAwsClientSettings({})).toEqual({ retryMode: 'adaptive', maxAttempts: 8 });
  });

  it.each([
    [{ AWS_RETRY_MODE: '' }],
    [{ AWS_MAX_ATTEMPTS: '' }],
    [{ AWS_RETRY_MODE: ' ', AWS_MAX_ATTEMPTS: ' ' }],
    [{ KEY_MAX_AGE_DAYS: 'not mine' }],
  ])('uses the defaults for %j', (environment) => {
    expect(loadAwsClientSettings(environment)).toEqual({ retryMode: 'adaptive', maxAttempts: 8 });
  });

  it.each([
    [{ AWS_RETRY_MODE: 'standard' }, { retryMode: 'standard', maxAttempts: 8 }],
    [{ AWS_RETRY_MODE: 'legacy' }, { retryMode: 'legacy', maxAttempts: 8 }],
    [{ AWS_MAX_ATTEMPTS: '1' }, { retryMode: 'adaptive', maxAttempts: 1 }],
    [{ AWS_MAX_ATTEMPTS: '20' }, { retryMode: 'adaptive', maxAttempts: 20 }],
    [
      { AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '3' },
      { retryMode: 'standard', maxAttempts: 3 },
    ],
  ])('reads %j', (environment, expected) => {
    expect(loadAwsClientSettings(environment)).toEqual(expected);
  });

  it.each([
    ['AWS_RETRY_MODE', 'fast'],
    ['AWS_RETRY_MODE', 'none'],
    ['AWS_MAX_ATTEMPTS', '0'],
    ['AWS_MAX_ATTEMPTS', '21'],
    ['AWS_MAX_ATTEMPTS', 'three'],
    ['AWS_MAX_ATTEMPTS', '2.5'],
    ['AWS_MAX_ATTEMPTS', '-1'],
  ])('refuses %s=%j with a ConfigError naming the variable and the value', (variable, value) => {
    const error = configErrorFrom(() => loadAwsClientSettings({ [variable]: value }));

    expect(error.message).toContain(`${variable}:`);
    expect(error.message).toContain(`(got ${JSON.stringify(value)})`);
  });

  it('names both bad variables in one error', () => {
    const error = configErrorFrom(() =>
      loadAwsClientSettings({ AWS_RETRY_MODE: 'fast', AWS_MAX_ATTEMPTS: '0' }),
    );

    expect(error.message).toContain('AWS_RETRY_MODE: ');
    expect(error.message).toContain('"fast"');
    expect(error.message).toContain('AWS_MAX_ATTEMPTS: ');
    expect(error.message).toContain('"0"');
  });
});

describe('KEY_WARNING_NOTICE_DAYS', () => {
  it.each([
    { value: '14,7,1', expected: [14, 7, 1] },
    { value: ' 1, 7 ,14 ', expected: [14, 7, 1] },
    { value: '7,7,3', expected: [7, 3] },
    { value: '0', expected: [0] },
  ])('reads $value as the notice days $expected, most distant first', ({ value, expected }) => {
    expect(loadKeyEnforcementConfig({ KEY_WARNING_NOTICE_DAYS: value }).keyPolicy.warningNoticeDays).toEqual(
      expected,
    );
  });

  it.each(['14;7', 'fourteen', '14,,7', '-1'])('refuses %j, naming the variable', (value) => {
    expect(() => loadKeyEnforcementConfig({ KEY_WARNING_NOTICE_DAYS: value })).toThrow(
      /KEY_WARNING_NOTICE_DAYS/,
    );
  });

  it('refuses a notice earlier than the warning window, naming both variables', () => {
    expect(() =>
      loadKeyEnforcementConfig({ KEY_WARNING_NOTICE_DAYS: '21,7', KEY_WARNING_DAYS: '14' }),
    ).toThrow(/KEY_WARNING_NOTICE_DAYS \(21,7\) must not exceed KEY_WARNING_DAYS \(14\)/);
  });
});

describe('loadMailConfig', () => {
  it('returns the defaults when the environment is empty: no sender, so no mail', () => {
    expect(loadMailConfig({})).toEqual({
      sender: undefined,
      securityTeam: [],
      emailTag: 'email',
      emailDomain: undefined,
      maxPerSecond: 10,
      outboxDir: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      loadMailConfig({
        SENDER_EMAIL: 'key-hygiene@example.com',
        SECURITY_TEAM_EMAILS: 'sec@example.com, oncall@example.com',
        EMAIL_TAG: 'contact',
        EMAIL_DOMAIN: 'corp.example',
        MAIL_MAX_PER_SECOND: '2',
        MAIL_OUTBOX_DIR: 'out/mail',
      }),
    ).toEqual({
      sender: 'key-hygiene@example.com',
      securityTeam: ['sec@example.com', 'oncall@example.com'],
      emailTag: 'contact',
      emailDomain: 'corp.example',
      maxPerSecond: 2,
      outboxDir: 'out/mail',
    });
  });

  it.each([
    ['SENDER_EMAIL', 'not-an-address'],
    ['SENDER_EMAIL', 'a@example.com\r\nBcc: evil@example.com'],
    ['SECURITY_TEAM_EMAILS', 'sec@example.com, nope'],
    ['EMAIL_DOMAIN', 'not a domain'],
    ['MAIL_MAX_PER_SECOND', '0'],
  ])('refuses %s=%j, naming the variable', (variable, value) => {
    expect(() => loadMailConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadMailConfig({ [variable]: value })).toThrow(new RegExp(variable));
  });
});

describe('default warning notices', () => {
  it.each([
    { warningDays: '14', expected: [14, 7, 1] },
    { warningDays: '30', expected: [30, 14, 7, 1] },
    { warningDays: '10', expected: [10, 7, 1] },
    { warningDays: '7', expected: [7, 1] },
    { warningDays: '0', expected: [0] },
  ])('are $expected with KEY_WARNING_DAYS=$warningDays', ({ warningDays, expected }) => {
    const config = loadKeyEnforcementConfig({ KEY_WARNING_DAYS: warningDays });
    expect(config.keyPolicy.warningNoticeDays).toEqual(expected);
  });
});

describe('loadOnboardingConfig', () => {
  const SELF_SERVICE = 'arn:aws:iam::123456789012:policy/key-hygiene-prod-self-service';
  const DEFAULTS: OnboardingConfig = {
    selfServicePolicyArn: SELF_SERVICE,
    permissionsBoundaryArn: undefined,
    userPath: '/key-hygiene/',
    allowedGroups: [],
    allowedTagKeys: [],
    exemptTag: 'key-hygiene:exempt',
    eventBusName: 'default',
  };

  it('returns the defaults with only the required self-service policy set', () => {
    expect(loadOnboardingConfig({ SELF_SERVICE_POLICY_ARN: SELF_SERVICE })).toEqual(DEFAULTS);
  });

  it.each([
    [
      { PERMISSIONS_BOUNDARY_ARN: 'arn:aws:iam::123456789012:policy/boundaries/developer' },
      { permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundaries/developer' },
    ],
    [
      { PERMISSIONS_BOUNDARY_ARN: 'arn:aws-us-gov:iam::aws:policy/PowerUserAccess' },
      { permissionsBoundaryArn: 'arn:aws-us-gov:iam::aws:policy/PowerUserAccess' },
    ],
    [{ USER_PATH: '/people/engineering/' }, { userPath: '/people/engineering/' }],
    [{ USER_PATH: '' }, { userPath: '/key-hygiene/' }],
    [{ ALLOWED_GROUPS: 'developers' }, { allowedGroups: ['developers'] }],
    [{ ALLOWED_GROUPS: ' developers , analysts,,' }, { allowedGroups: ['developers', 'analysts'] }],
    [{ ALLOWED_GROUPS: ' , ' }, { allowedGroups: [] }],
    [{ ALLOWED_TAG_KEYS: 'team, cost center,,' }, { allowedTagKeys: ['team', 'cost center'] }],
    [{ ALLOWED_TAG_KEYS: 'Kostenstelle:Süd' }, { allowedTagKeys: ['Kostenstelle:Süd'] }],
    [{ EXEMPT_TAG: 'no-rotation' }, { exemptTag: 'no-rotation' }],
    [{ EVENT_BUS_NAME: 'security-audit' }, { eventBusName: 'security-audit' }],
  ])('reads %j', (environment, expected) => {
    expect(loadOnboardingConfig({ SELF_SERVICE_POLICY_ARN: SELF_SERVICE, ...environment })).toEqual({
      ...DEFAULTS,
      ...expected,
    });
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
  ])('refuses a self-service policy ARN that is %s, naming the variable', (_case, value) => {
    const error = configErrorFrom(() => loadOnboardingConfig({ SELF_SERVICE_POLICY_ARN: value }));

    expect(error.message).toContain('SELF_SERVICE_POLICY_ARN: must be set');
  });

  it.each([
    ['SELF_SERVICE_POLICY_ARN', 'key-hygiene-self-service'],
    ['SELF_SERVICE_POLICY_ARN', 'arn:aws:iam::123456789012:role/self-service'],
    ['SELF_SERVICE_POLICY_ARN', 'arn:aws:iam::12345:policy/self-service'],
    ['PERMISSIONS_BOUNDARY_ARN', 'boundary'],
    ['PERMISSIONS_BOUNDARY_ARN', 'arn:aws:s3:::bucket'],
    ['USER_PATH', 'people'],
    ['USER_PATH', '/people'],
    ['USER_PATH', 'people/'],
    ['USER_PATH', '/people with spaces/'],
    ['USER_PATH', `/${'p'.repeat(511)}/`],
    ['USER_PATH', '/'],
    ['ALLOWED_TAG_KEYS', 'team,cost*center'],
    ['ALLOWED_TAG_KEYS', 'team,aws:cloudformation:stack-name'],
    ['ALLOWED_TAG_KEYS', 'key-hygiene:exempt'],
    ['ALLOWED_TAG_KEYS', 'Key-Hygiene:deactivated:AKIA'],
    ['ALLOWED_TAG_KEYS', 'k'.repeat(129)],
    ['ALLOWED_GROUPS', 'dev ops'],
    ['ALLOWED_GROUPS', 'developers,ad*mins'],
    ['EXEMPT_TAG', 'exempt#'],
    ['EVENT_BUS_NAME', 'my bus'],
  ])('refuses %s=%j with a ConfigError naming the variable and the value', (variable, value) => {
    const error = configErrorFrom(() =>
      loadOnboardingConfig({ SELF_SERVICE_POLICY_ARN: SELF_SERVICE, [variable]: value }),
    );

    expect(error.message).toContain(`${variable}:`);
    expect(error.message).toContain(`(got ${JSON.stringify(value)})`);
  });
});
