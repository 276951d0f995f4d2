import {
  GetAccountPasswordPolicyCommand,
  IAMClient,
  type PasswordPolicy as IamPasswordPolicy,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RawSentEmail } from '../../scripts/emulator/index.ts';
import { ConfigError, InvalidEventError } from '../../shared/kernel/errors.ts';
import { captureAuditEvents } from '../helpers/audit-capture.ts';
import { captureEmbeddedMetrics } from '../helpers/embedded-metrics.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadEnforcePasswordPolicyHandler } from '../helpers/lambda.ts';
import { decodeHeader, parseMail } from '../helpers/mime.ts';
import { baselinePolicy } from '../helpers/password-policies.ts';

const { endpoint, control } = useEmulator();
const iam = iamClient();
const clientConfig = {
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
};

const SENDER = 'key-hygiene@example.com';
const TEAM = ['security@example.com', 'oncall@example.com'];
const MAIL_SETTINGS = { SENDER_EMAIL: SENDER, SECURITY_TEAM_EMAILS: TEAM.join(', ') };

/** The account's policy as IAM returns it; `undefined` when it has none. */
async function accountPolicy(): Promise<IamPasswordPolicy | undefined> {
  try {
    return (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy;
  } catch (error: unknown) {
    if (error instanceof Error && error.name === 'NoSuchEntityException') return undefined;
    throw error;
  }
}

async function setAccountPolicy(policy: UpdateAccountPasswordPolicyCommand['input']): Promise<void> {
  await iam.send(new UpdateAccountPasswordPolicyCommand(policy));
}

/** The CIS baseline as GetAccountPasswordPolicy reports it. */
const BASELINE_AS_IAM: IamPasswordPolicy = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  ExpirePasswords: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 24,
  HardExpiry: false,
};

const WEAK = { MinimumPasswordLength: 8, RequireNumbers: true, MaxPasswordAge: 365 };

async function verifySender(): Promise<void> {
  await new SESv2Client(clientConfig).send(new CreateEmailIdentityCommand({ EmailIdentity: SENDER }));
}

async function sentRawMail(): Promise<RawSentEmail[]> {
  return (await control.sentEmails()).filter((mail): mail is RawSentEmail => mail.kind === 'raw');
}

/** Counts every IAM command the code under test sends, by command name. */
function countIamCalls() {
  const spy = vi.spyOn(IAMClient.prototype, 'send');
  return (command: string) => spy.mock.calls.filter(([sent]) => sent.constructor.name === command).length;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('enforcePasswordPolicy against the emulated account', () => {
  it('creates the CIS baseline policy when the account has none', async () => {
    expect(await accountPolicy()).toBeUndefined();

    const report = await (await loadEnforcePasswordPolicyHandler())({});

    expect(await accountPolicy()).toEqual(BASELINE_AS_IAM);
    expect(report).toMatchObject({
      dryRun: false,
      account: '123456789012',
      outcome: 'created',
      before: null,
      after: baselinePolicy(),
      mail: { status: 'skipped', reason: 'SECURITY_TEAM_EMAILS is not set: no mail was sent' },
    });
    expect(report.changes.map((change) => change.iamName)).toEqual([
      'MinimumPasswordLength',
      'RequireUppercaseCharacters',
      'RequireLowercaseCharacters',
      'RequireNumbers',
      'RequireSymbols',
      'MaxPasswordAge',
      'PasswordReusePrevention',
      'HardExpiry',
      'AllowUsersToChangePassword',
    ]);
  });

  it('tightens a weak policy field by field, before -> after, and writes the whole policy', async () => {
    await setAccountPolicy(WEAK);

    const report = await (await loadEnforcePasswordPolicyHandler())({});

    expect(await accountPolicy()).toEqual(BASELINE_AS_IAM);
    expect(report.outcome).toBe('updated');
    expect(report.changes.map(({ iamName, before, after }) => `${iamName}: ${before} -> ${after}`)).toEqual([
      'MinimumPasswordLength: 8 -> 14',
      'RequireUppercaseCharacters: false -> true',
      'RequireLowercaseCharacters: false -> true',
      'RequireSymbols: false -> true',
      'MaxPasswordAge: 365 -> 90',
      'PasswordReusePrevention: null -> 24',
      'AllowUsersToChangePassword: false -> true',
    ]);
  });

  it('keeps the fields that are stricter than the baseline and tightens only the rest', async () => {
    await setAccountPolicy({
      MinimumPasswordLength: 24,
      MaxPasswordAge: 30,
      HardExpiry: true,
      RequireSymbols: true,
      PasswordReusePrevention: 10,
    });

    const report = await (await loadEnforcePasswordPolicyHandler())({});

    expect(await accountPolicy()).toEqual({
      ...BASELINE_AS_IAM,
      MinimumPasswordLength: 24,
      MaxPasswordAge: 30,
      HardExpiry: true,
    });
    expect(report.changes.map((change) => change.field)).toEqual([
      'requireUppercaseCharacters',
      'requireLowercaseCharacters',
      'requireNumbers',
      'passwordReusePrevention',
      'allowUsersToChangePassword',
    ]);
  });

  it('makes no write call when the policy already meets the baseline', async () => {
    const strict = { ...BASELINE_AS_IAM, MinimumPasswordLength: 20, MaxPasswordAge: 60, HardExpiry: true };
    const { ExpirePasswords: _, ...input } = strict;
    await setAccountPolicy(input);
    const run = await loadEnforcePasswordPolicyHandler(MAIL_SETTINGS);
    await verifySender();
    const calls = countIamCalls();

    const report = await run({});

    expect(calls('GetAccountPasswordPolicyCommand')).toBe(1);
    expect(calls('UpdateAccountPasswordPolicyCommand')).toBe(0);
    expect(await accountPolicy()).toEqual(strict);
    expect(report).toMatchObject({
      outcome: 'compliant',
      changes: [],
      audit: { skipped: 'no change was made' },
    });
    expect(await sentRawMail()).toEqual([]);
  });

  it('changes nothing more when run again, as after a Lambda retry', async () => {
    await setAccountPolicy(WEAK);
    const run = await loadEnforcePasswordPolicyHandler();
    await run({});
    const calls = countIamCalls();

    const second = await run({});

    expect(second.outcome).toBe('compliant');
    expect(calls('UpdateAccountPasswordPolicyCommand')).toBe(0);
    expect(await accountPolicy()).toEqual(BASELINE_AS_IAM);
  });

  it.each([
    ['DRY_RUN=true', { DRY_RUN: 'true' }, {}],
    ['the event {"dryRun": true}', {}, { dryRun: true }],
  ])('reports the drift and changes nothing in a dry run (%s)', async (_, settings, event) => {
    await setAccountPolicy(WEAK);
    const before = await accountPolicy();
    const run = await loadEnforcePasswordPolicyHandler(settings);
    const calls = countIamCalls();

    const report = await run(event);

    expect(calls('UpdateAccountPasswordPolicyCommand')).toBe(0);
    expect(await accountPolicy()).toEqual(before);
    expect(report).toMatchObject({
      dryRun: true,
      outcome: 'would-update',
      after: baselinePolicy(),
      audit: { skipped: 'dry run: no change was made' },
    });
    expect(report.changes).toHaveLength(7);
  });

  it('reports "would create" in a dry run on an account with no policy, and creates none', async () => {
    const report = await (await loadEnforcePasswordPolicyHandler({ DRY_RUN: 'true' }))({});

    expect(report.outcome).toBe('would-create');
    expect(await accountPolicy()).toBeUndefined();
  });

  it('holds the account at a baseline from the settings', async () => {
    await setAccountPolicy({ MinimumPasswordLength: 10, RequireSymbols: true, HardExpiry: true });

    await (
      await loadEnforcePasswordPolicyHandler({
        PASSWORD_MIN_LENGTH: '16',
        PASSWORD_MAX_AGE_DAYS: '45',
        PASSWORD_REUSE_PREVENTION: '5',
        PASSWORD_REQUIRE_SYMBOLS: 'false',
        PASSWORD_REQUIRE_NUMBERS: 'false',
        PASSWORD_REQUIRE_UPPERCASE: 'true',
        PASSWORD_REQUIRE_LOWERCASE: 'false',
        PASSWORD_ALLOW_USERS_TO_CHANGE: 'false',
        PASSWORD_HARD_EXPIRY: 'false',
      })
    )({});

    // Symbols and hard expiry were on: a baseline that does not require them never turns them off.
    expect(await accountPolicy()).toEqual({
      MinimumPasswordLength: 16,
      RequireSymbols: true,
      RequireNumbers: false,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      ExpirePasswords: true,
      MaxPasswordAge: 45,
      PasswordReusePrevention: 5,
      HardExpiry: true,
    });
  });

  it('mails the security team a before/after table, read back from the emulator', async () => {
    await verifySender();
    await setAccountPolicy(WEAK);

    const report = await (await loadEnforcePasswordPolicyHandler(MAIL_SETTINGS))({});

    expect(report.mail).toMatchObject({ status: 'sent' });
    const mails = await sentRawMail();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.source).toBe(SENDER);
    expect(new Set(mail?.destinations)).toEqual(new Set(TEAM));
    const parsed = parseMail(mail?.rawData ?? '');
    expect(decodeHeader(parsed.headers.subject ?? '')).toBe(
      '[key-hygiene] Password policy tightened: 7 settings changed (account 123456789012)',
    );
    expect(parsed.headers.from).toBe(SENDER);
    expect(parsed.headers.to).toBe(TEAM.join(', '));
    const text = parsed.parts.find((part) => part.contentType === 'text/plain')?.body ?? '';
    const html = parsed.parts.find((part) => part.contentType === 'text/html')?.body ?? '';
    expect(text).toMatch(/\nPassword expiry +expire after 365 days +expire after 90 days +changed\n/);
    expect(text).toMatch(/\nMinimum password length +8 characters +14 characters +changed\n/);
    expect(text).toMatch(/\nNumber +required +required\n/);
    expect(html.replace(/ style="[^"]*"/g, '')).toContain(
      '<tr><td>Password expiry</td><td>expire after 365 days</td><td><strong>expire after 90 days</strong></td><td><span>changed</span></td></tr>',
    );
  });

  it('mails the security team in a dry run, saying nothing was changed', async () => {
    await verifySender();
    await setAccountPolicy(WEAK);

    const report = await (await loadEnforcePasswordPolicyHandler({ ...MAIL_SETTINGS, DRY_RUN: 'true' }))({});

    expect(report.mail).toMatchObject({ status: 'sent' });
    const [mail] = await sentRawMail();
    const parsed = parseMail(mail?.rawData ?? '');
    expect(decodeHeader(parsed.headers.subject ?? '')).toBe(
      '[key-hygiene] DRY RUN: Password policy would be tightened: 7 settings (account 123456789012)',
    );
    expect(parsed.parts.find((part) => part.contentType === 'text/plain')?.body).toContain(
      'DRY RUN: nothing was changed.',
    );
  });

  it('updates the policy and reports the failure when the mail is refused', async () => {
    // The sender is not verified: SES (and moto) refuse the mail.
    await setAccountPolicy(WEAK);

    const report = await (await loadEnforcePasswordPolicyHandler(MAIL_SETTINGS))({});

    expect(await accountPolicy()).toEqual(BASELINE_AS_IAM);
    expect(report.outcome).toBe('updated');
    expect(report.mail).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('MessageRejected'),
    });
  });

  it('updates the policy and reports the failure when the event bus does not exist', async () => {
    await setAccountPolicy(WEAK);

    const report = await (await loadEnforcePasswordPolicyHandler({ EVENT_BUS_NAME: 'no-such-bus' }))({});

    expect(await accountPolicy()).toEqual(BASELINE_AS_IAM);
    expect(report.audit).toMatchObject({ published: 0, failed: [{ detailType: 'PasswordPolicyUpdated' }] });
  });

  it('publishes PasswordPolicyUpdated with the drift to the configured bus', async () => {
    const capture = await captureAuditEvents(endpoint);
    await setAccountPolicy(WEAK);

    const report = await (await loadEnforcePasswordPolicyHandler({ EVENT_BUS_NAME: 'security-audit' }))({});

    expect(report.audit).toEqual({ published: 1, failed: [] });
    const { events } = await capture.received(1);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ source: 'key-hygiene', 'detail-type': 'PasswordPolicyUpdated' });
    expect(event?.detail).toEqual({
      action: 'updated',
      account: '123456789012',
      checkedAt: report.checkedAt,
      changes: report.changes,
      before: report.before,
      after: baselinePolicy(),
    });
  });

  it.each([
    ['PASSWORD_MIN_LENGTH', '5', 'PASSWORD_MIN_LENGTH: must be at least 6 (got "5")'],
    ['PASSWORD_REUSE_PREVENTION', '25', 'PASSWORD_REUSE_PREVENTION: must be at most 24 (got "25")'],
    ['PASSWORD_MAX_AGE_DAYS', '0', 'PASSWORD_MAX_AGE_DAYS: must be at least 1 (got "0")'],
    ['PASSWORD_HARD_EXPIRY', 'yes', `PASSWORD_HARD_EXPIRY: must be 'true' or 'false' (got "yes")`],
  ])('refuses %s=%j at start, naming the variable, and changes nothing', async (variable, value, message) => {
    await setAccountPolicy(WEAK);
    const before = await accountPolicy();
    const calls = countIamCalls();

    // Each load is a fresh module graph (a cold start), so the error class is compared by name.
    await expect(loadEnforcePasswordPolicyHandler({ [variable]: value })).rejects.toMatchObject({
      name: ConfigError.name,
      message: expect.stringContaining(message),
    });
    expect(calls('UpdateAccountPasswordPolicyCommand')).toBe(0);
    expect(await accountPolicy()).toEqual(before);
  });

  it.each([
    ['tightens a weak policy', WEAK, 1],
    ['finds the policy compliant', BASELINE_AS_IAM, 0],
  ])('writes PasswordPolicyUpdated as an embedded metric when it %s', async (_case, policy, updated) => {
    await setAccountPolicy(policy);
    const handler = await loadEnforcePasswordPolicyHandler({ POWERTOOLS_METRICS_DISABLED: 'false' });

    const { outcome, records } = await captureEmbeddedMetrics(() => handler({}));

    expect(outcome.status).toBe('fulfilled');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ PasswordPolicyUpdated: updated, service: 'key-hygiene' });
    expect(records[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe('KeyHygiene');
  });

  it('refuses a malformed event, naming the field, and changes nothing', async () => {
    await setAccountPolicy(WEAK);
    const before = await accountPolicy();
    const run = await loadEnforcePasswordPolicyHandler();

    await expect(run({ dryRun: 'yes' })).rejects.toMatchObject({
      name: InvalidEventError.name,
      message: expect.stringContaining('Invalid enforcePasswordPolicy event: dryRun: must be true or false'),
    });
    expect(await accountPolicy()).toEqual(before);
  });

  it('fails with PasswordPolicyReadError and changes nothing when IAM cannot be reached', async () => {
    const run = await loadEnforcePasswordPolicyHandler({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });

    await expect(run({})).rejects.toMatchObject({
      name: 'PasswordPolicyReadError',
      message: expect.stringContaining('Reading the account password policy failed'),
    });
    expect(await accountPolicy()).toBeUndefined();
  });
});
