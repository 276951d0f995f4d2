import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  IAMServiceException,
  LimitExceededException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CredentialReportError,
  CredentialReportFormatError,
  CredentialReportTimeoutError,
} from '../../../shared/credential-report/errors.ts';
import {
  type FetchReportOptions,
  fetchCredentialReport,
  reportWaitBudgetMs,
} from '../../../shared/credential-report/fetch-report.ts';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const ALICE =
  'alice,arn:aws:iam::123456789012:user/alice,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2025-01-01T00:00:00+00:00,2026-01-10T08:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
const REPORT_CSV = `${HEADER}\n${ALICE}\n`;
const GENERATED_AT = new Date('2026-01-15T03:00:00Z');
const START_MS = Date.parse('2026-01-15T03:00:00Z');

const iamMock = mockClient(IAMClient);
const iam = new IAMClient({ region: 'us-east-1' });

/** A fake wall clock that moves only when the code under test sleeps or a fake IAM call advances it. */
function fakeTime() {
  let now = START_MS;
  const sleeps: number[] = [];
  const sleepEnds: number[] = [];
  return {
    clock: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
      sleepEnds.push(now);
    },
    sleeps,
    sleepEnds,
  };
}

function options(
  time: ReturnType<typeof fakeTime>,
  overrides: Partial<FetchReportOptions> = {},
): FetchReportOptions {
  return {
    budgetMs: 60_000,
    initialDelayMs: 100,
    maxDelayMs: 800,
    sleep: time.sleep,
    clock: time.clock,
    ...overrides,
  };
}

const reportContent = (csv: string = REPORT_CSV) => ({
  Content: new TextEncoder().encode(csv),
  ReportFormat: 'text/csv' as const,
  GeneratedTime: GENERATED_AT,
});

const awsError = (name: string, message = `${name} from IAM`) =>
  new IAMServiceException({ name, message, $fault: 'client', $metadata: {} });

/** Runs the fetch and returns what it rejected with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  return expect.unreachable('expected the fetch to fail');
}

beforeEach(() => {
  iamMock.reset();
});

describe('fetchCredentialReport', () => {
  it('generates once and gets once when the report is COMPLETE at once', async () => {
    const time = fakeTime();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves(reportContent());

    const report = await fetchCredentialReport(iam, options(time));

    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({
      user: 'alice',
      arn: 'arn:aws:iam::123456789012:user/alice',
      isRoot: false,
    });
    expect(report.rows[0]?.accessKeys[0]).toMatchObject({
      active: true,
      lastUsedDate: new Date('2026-01-10T08:00:00Z'),
    });
  });

  it('passes GeneratedTime through as generatedAt', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves(reportContent());

    const report = await fetchCredentialReport(iam, options(fakeTime()));

    expect(report.generatedAt).toEqual(GENERATED_AT);
  });

  it('uses the clock as generatedAt when GeneratedTime is absent', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(REPORT_CSV) });

    const report = await fetchCredentialReport(iam, options(fakeTime()));

    expect(report.generatedAt).toEqual(new Date(START_MS));
  });

  it.each([
    [['STARTED'], 100, 800, [100]],
    [['INPROGRESS'], 100, 800, [100]],
    [['STARTED', 'INPROGRESS', 'INPROGRESS'], 100, 800, [100, 200, 400]],
    [
      ['STARTED', 'INPROGRESS', 'INPROGRESS', 'INPROGRESS', 'INPROGRESS', 'INPROGRESS'],
      100,
      800,
      [100, 200, 400, 800, 800, 800],
    ],
    [['STARTED', 'INPROGRESS', 'INPROGRESS', 'INPROGRESS'], 1_000, 3_000, [1_000, 2_000, 3_000, 3_000]],
  ] as const)(
    'polls after %j with doubling delays from %i ms capped at %i ms',
    async (states, initialDelayMs, maxDelayMs, expectedSleeps) => {
      const time = fakeTime();
      const generate = iamMock.on(GenerateCredentialReportCommand);
      for (const state of states) generate.resolvesOnce({ State: state });
      generate.resolves({ State: 'COMPLETE' });
      iamMock.on(GetCredentialReportCommand).resolves(reportContent());

      const report = await fetchCredentialReport(iam, options(time, { initialDelayMs, maxDelayMs }));

      expect(time.sleeps).toEqual(expectedSleeps);
      expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(states.length + 1);
      expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
      expect(report.rows[0]?.user).toBe('alice');
    },
  );

  it('tells onWait why and how long it waits', async () => {
    const waits: [string, number][] = [];
    iamMock
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves(reportContent());

    await fetchCredentialReport(
      iam,
      options(fakeTime(), { onWait: (reason, delayMs) => waits.push([reason, delayMs]) }),
    );

    expect(waits).toEqual([
      [expect.stringContaining('STARTED'), 100],
      [expect.stringContaining('INPROGRESS'), 200],
    ]);
  });

  it.each([
    [
      'CredentialReportNotReadyException',
      new CredentialReportNotReadyException({ message: 'in progress', $metadata: {} }),
    ],
    [
      'CredentialReportNotPresentException',
      new CredentialReportNotPresentException({ message: 'no report', $metadata: {} }),
    ],
    [
      'CredentialReportExpiredException',
      new CredentialReportExpiredException({ message: 'expired', $metadata: {} }),
    ],
    ['wire code ReportInProgress', awsError('ReportInProgress')],
    ['wire code ReportNotPresent', awsError('ReportNotPresent')],
    ['wire code ReportExpired', awsError('ReportExpired')],
  ])('regenerates and succeeds when Get fails with %s', async (_name, error) => {
    const time = fakeTime();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).rejectsOnce(error).resolves(reportContent());

    const report = await fetchCredentialReport(iam, options(time));

    expect(report.rows[0]?.user).toBe('alice');
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(2);
    expect(time.sleeps).toEqual([100]);
  });

  const throttles = [
    ['LimitExceededException', () => new LimitExceededException({ message: 'Rate exceeded', $metadata: {} })],
    ['Throttling', () => awsError('Throttling', 'Rate exceeded')],
    ['ThrottlingException', () => awsError('ThrottlingException', 'Rate exceeded')],
  ] as const;

  it.each(throttles)('backs off and succeeds when Generate fails with %s', async (_name, makeError) => {
    const time = fakeTime();
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejectsOnce(makeError())
      .rejectsOnce(makeError())
      .resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves(reportContent());

    const report = await fetchCredentialReport(iam, options(time));

    expect(report.rows[0]?.user).toBe('alice');
    expect(time.sleeps).toEqual([100, 200]);
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
  });

  it.each(throttles)('backs off and succeeds when Get fails with %s', async (_name, makeError) => {
    const time = fakeTime();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).rejectsOnce(makeError()).resolves(reportContent());

    const report = await fetchCredentialReport(iam, options(time));

    expect(report.rows[0]?.user).toBe('alice');
    expect(time.sleeps).toEqual([100]);
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(2);
  });

  it('gives up with CredentialReportTimeoutError when the report is never COMPLETE within the budget', async () => {
    const time = fakeTime();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });

    const error = await rejectionOf(
      fetchCredentialReport(iam, options(time, { budgetMs: 1_000, initialDelayMs: 100, maxDelayMs: 400 })),
    );

    expect(error).toBeInstanceOf(CredentialReportTimeoutError);
    expect(error).toBeInstanceOf(CredentialReportError);
    expect((error as Error).message).toContain('no action was taken');
    expect((error as Error).message).toContain('INPROGRESS');
    // 100 + 200 + 400 = 700 ms slept; one more 400 ms wait would end past the 1 000 ms budget.
    expect(time.sleeps).toEqual([100, 200, 400]);
    expect(Math.max(...time.sleepEnds)).toBeLessThanOrEqual(START_MS + 1_000);
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
  });

  it('never sleeps past the budget, even when the IAM calls themselves take time', async () => {
    const time = fakeTime();
    iamMock.on(GenerateCredentialReportCommand).callsFake(() => {
      time.advance(150);
      return { State: 'STARTED' };
    });

    const error = await rejectionOf(
      fetchCredentialReport(iam, options(time, { budgetMs: 2_000, initialDelayMs: 250, maxDelayMs: 1_000 })),
    );

    expect(error).toBeInstanceOf(CredentialReportTimeoutError);
    // Calls at 0, 400, 1 050 ms; sleeps end at 400 and 1 050 ms; a 1 000 ms sleep from 1 200 ms would overrun.
    expect(time.sleeps).toEqual([250, 500]);
    for (const end of time.sleepEnds) expect(end).toBeLessThanOrEqual(START_MS + 2_000);
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
  });

  it('gives up at once when the budget cannot hold a single wait', async () => {
    const time = fakeTime();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });

    const error = await rejectionOf(
      fetchCredentialReport(iam, options(time, { budgetMs: 50, initialDelayMs: 100 })),
    );

    expect(error).toBeInstanceOf(CredentialReportTimeoutError);
    expect(time.sleeps).toEqual([]);
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
  });

  it('keeps the last throttling error as the cause of the timeout', async () => {
    const throttled = new LimitExceededException({ message: 'Rate exceeded', $metadata: {} });
    iamMock.on(GenerateCredentialReportCommand).rejects(throttled);

    const error = await rejectionOf(fetchCredentialReport(iam, options(fakeTime(), { budgetMs: 500 })));

    expect(error).toBeInstanceOf(CredentialReportTimeoutError);
    expect((error as Error).cause).toBe(throttled);
  });

  it.each([
    ['Generate', GenerateCredentialReportCommand],
    ['Get', GetCredentialReportCommand],
  ] as const)(
    'fails with CredentialReportError without retrying when %s is denied',
    async (_name, command) => {
      const time = fakeTime();
      const denied = awsError('AccessDenied', 'User is not authorized to perform iam:GetCredentialReport');
      iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
      iamMock.on(GetCredentialReportCommand).resolves(reportContent());
      iamMock.on(command).rejects(denied);

      const error = await rejectionOf(fetchCredentialReport(iam, options(time)));

      expect(error).toBeInstanceOf(CredentialReportError);
      expect((error as Error).name).toBe('CredentialReportError');
      expect((error as Error).cause).toBe(denied);
      expect((error as Error).message).toContain('AccessDenied');
      expect(iamMock.commandCalls(command)).toHaveLength(1);
      expect(time.sleeps).toEqual([]);
    },
  );

  it('fails with CredentialReportError when the content is not UTF-8', async () => {
    const time = fakeTime();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({ Content: Uint8Array.of(0x75, 0x73, 0xff, 0x65, 0x72) });

    const error = await rejectionOf(fetchCredentialReport(iam, options(time)));

    expect(error).toBeInstanceOf(CredentialReportError);
    expect((error as Error).name).toBe('CredentialReportError');
    expect((error as Error).message).toContain('UTF-8');
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('fails with CredentialReportError when Get returns no content', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({ GeneratedTime: GENERATED_AT });

    const error = await rejectionOf(fetchCredentialReport(iam, options(fakeTime())));

    expect(error).toBeInstanceOf(CredentialReportError);
    expect((error as Error).message).toContain('no content');
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
  });

  it('fails with CredentialReportFormatError, without retrying, when the header is not the documented one', async () => {
    const time = fakeTime();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .resolves(
        reportContent(`user,arn,favourite_colour\nalice,arn:aws:iam::123456789012:user/alice,blue\n`),
      );

    const error = await rejectionOf(fetchCredentialReport(iam, options(time)));

    expect(error).toBeInstanceOf(CredentialReportFormatError);
    expect((error as Error).message).toContain('favourite_colour');
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });
});

describe('reportWaitBudgetMs', () => {
  it.each([
    { case: 'a fresh 15-minute invocation', timeLeftMs: 900_000, budgetMs: 840_000 },
    { case: 'a forecast with 3 minutes', timeLeftMs: 180_000, budgetMs: 120_000 },
    { case: 'two minutes left: a minute for acting', timeLeftMs: 120_000, budgetMs: 60_000 },
    { case: 'under two minutes left: half of it', timeLeftMs: 90_000, budgetMs: 45_000 },
  ])('leaves time for acting: $case', ({ timeLeftMs, budgetMs }) => {
    expect(reportWaitBudgetMs(timeLeftMs)).toBe(budgetMs);
  });
});
