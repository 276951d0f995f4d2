import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { disabledChat } from '../../../shared/chat/sns-chat.ts';
import {
  KEY_ENFORCEMENT_DEFAULTS,
  loadKeyEnforcementConfig,
} from '../../../shared/key-enforcement/config.ts';
import {
  keyEnforcementDependencies,
  keyEnforcementOptions,
} from '../../../shared/key-enforcement/dependencies.ts';
import { disabledMailer } from '../../../shared/mail/mailer.ts';
import { reportCsv } from '../../helpers/credential-report-csv.ts';

const iamMock = mockClient(IAMClient);
const eventsMock = mockClient(EventBridgeClient);
afterEach(() => {
  iamMock.reset();
  eventsMock.reset();
});

const mail = { securityTeam: ['security@corp.example'], emailTag: 'mail', emailDomain: 'corp.example' };
const mailer = disabledMailer('test');

describe('keyEnforcementDependencies', () => {
  it('fetches the report and lists keys through the IAM client it is given', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(reportCsv([{ user: 'bob' }])),
      GeneratedTime: new Date('2026-11-23T02:00:00Z'),
    });
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const deps = keyEnforcementDependencies(
      loadKeyEnforcementConfig({}),
      { iam: new IAMClient({}), mailer },
      { timeLeftMs: 300_000, mail },
    );

    const report = await deps.fetchReport();

    expect(report.rows.map((row) => row.user)).toEqual(['bob']);
    expect(await deps.account.listAccessKeys('bob')).toEqual([]);
    expect(deps.mailer).toBe(mailer);
    expect(deps.notification).toEqual({
      securityTeam: ['security@corp.example'],
      recipients: { emailTag: 'mail', emailDomain: 'corp.example' },
    });
  });

  it('publishes audit events to EVENT_BUS_NAME when given an EventBridge client, and has no publisher without one', async () => {
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const config = loadKeyEnforcementConfig({ EVENT_BUS_NAME: 'audit-bus' });
    const iam = new IAMClient({});

    const forecast = keyEnforcementDependencies(config, { iam, mailer }, { timeLeftMs: 300_000, mail });
    const nightly = keyEnforcementDependencies(
      config,
      { iam, eventBridge: new EventBridgeClient({}), mailer },
      { timeLeftMs: 300_000, mail },
    );

    expect(forecast.publishAudit).toBeUndefined();
    await nightly.publishAudit?.([{ detailType: 'KeyEnforcementRunCompleted', detail: {} }]);
    expect(eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.EventBusName).toBe(
      'audit-bus',
    );
  });

  it('posts to chat through the poster it is given, and has none without one (a forecast posts nothing)', () => {
    const iam = new IAMClient({});
    const chat = disabledChat('test');

    const forecast = keyEnforcementDependencies(
      loadKeyEnforcementConfig({}),
      { iam, mailer },
      { timeLeftMs: 300_000, mail },
    );
    const nightly = keyEnforcementDependencies(
      loadKeyEnforcementConfig({}),
      { iam, mailer, chat },
      { timeLeftMs: 300_000, mail },
    );

    expect(forecast.chat).toBeUndefined();
    expect(nightly.chat).toBe(chat);
  });

  it('tells the caller each wait for the credential report', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(reportCsv([])) });
    const onReportWait = vi.fn();
    vi.useFakeTimers();
    try {
      const deps = keyEnforcementDependencies(
        loadKeyEnforcementConfig({}),
        { iam: new IAMClient({}), mailer },
        { timeLeftMs: 300_000, mail, onReportWait },
      );
      const fetched = deps.fetchReport();
      await vi.runAllTimersAsync();
      await fetched;
    } finally {
      vi.useRealTimers();
    }
    expect(onReportWait).toHaveBeenCalledWith('report STARTED', 1_000);
  });
});

describe('keyEnforcementOptions', () => {
  const now = new Date('2026-11-23T03:00:00Z');
  const at = new Date('2026-12-24T03:00:00Z');

  it.each([
    { case: 'a plain run', env: {}, request: { dryRun: false }, dryRun: false, clock: undefined },
    {
      case: 'a dry run asked for by the event',
      env: {},
      request: { dryRun: true },
      dryRun: true,
      clock: undefined,
    },
    {
      case: 'DRY_RUN=true, whatever the event',
      env: { DRY_RUN: 'true' },
      request: { dryRun: false },
      dryRun: true,
      clock: undefined,
    },
    {
      // KEY_HYGIENE_NOW steers dry runs only: the loader refuses it without DRY_RUN=true.
      case: 'KEY_HYGIENE_NOW in a dry run',
      env: { KEY_HYGIENE_NOW: now.toISOString(), DRY_RUN: 'true' },
      request: { dryRun: false },
      dryRun: true,
      clock: now,
    },
    {
      case: 'a forecast date over KEY_HYGIENE_NOW',
      env: { KEY_HYGIENE_NOW: now.toISOString(), DRY_RUN: 'true' },
      request: { dryRun: true, now: at },
      dryRun: true,
      clock: at,
    },
  ])('reads $case', ({ env, request, dryRun, clock }) => {
    const before = Date.now();
    const options = keyEnforcementOptions(loadKeyEnforcementConfig(env), request);
    expect(options.dryRun).toBe(dryRun);
    expect(options.limits).toEqual({
      deactivations: KEY_ENFORCEMENT_DEFAULTS.maxDeactivationsPerNight,
      deletions: KEY_ENFORCEMENT_DEFAULTS.maxDeletionsPerNight,
    });
    expect(options.settings.maxAgeDays).toBe(KEY_ENFORCEMENT_DEFAULTS.maxAgeDays);
    if (clock === undefined) {
      // The real clock: taken during the call, however busy the machine.
      expect(options.now.getTime()).toBeGreaterThanOrEqual(before);
      expect(options.now.getTime()).toBeLessThanOrEqual(Date.now());
    } else {
      expect(options.now).toEqual(clock);
    }
  });
});
