// The shipped organization state machine (deploy/org-state-machine.cfn.cjs, with serverless.yml's stage
// parameter defaults), executed by the emulator's Step Functions; its Lambda tasks are answered in this
// process through the Lambda bridge, and the night is started by the real starter (shared/org-night).

import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SentEmail } from '../../scripts/emulator/index.ts';
import {
  type BridgedHandler,
  type LambdaBridge,
  LambdaServiceError,
  startLambdaBridge,
} from '../../scripts/emulator/lambda-bridge.ts';
import { type StartNightRequest, startNight, stepFunctionsExecutions } from '../../shared/org-night/index.ts';
import { useEmulator } from '../helpers/emulator.ts';
import { decodeHeader, parseMail } from '../helpers/mime.ts';
import {
  type AccountEvent,
  doneResult,
  listAccountsStandIn,
  type StandInAccount,
  storedIterations,
} from '../helpers/org-stand-ins.ts';
import { type AslDefinition, shippedDefinition, substituted } from '../helpers/org-state-machine.ts';
import {
  loadOrgCheckGuardHandler,
  loadOrgDigestHandler,
  loadOrgEnforceAccountHandler,
  loadOrgListAccountsHandler,
  memberIamClient,
  ORG_MAIL,
  seedThreeAccountOrganization,
} from '../helpers/organization.ts';
import {
  createStateMachine,
  executionHistory,
  finishedExecution,
  functionArn,
  s3Client,
  sfnClient,
} from '../helpers/step-functions.ts';

const { endpoint, control } = useEmulator();
const sfn = sfnClient();
const s3 = s3Client();
const BUCKET = 'key-hygiene-org-results';
const NIGHT = '2026-11-30';

const ACCOUNTS: StandInAccount[] = [
  { accountId: '111111111111', name: 'payments' },
  { accountId: '222222222222', name: 'analytics' },
  { accountId: '333333333333', name: 'sandbox' },
];

let bridge: LambdaBridge | undefined;
afterEach(async () => {
  await bridge?.stop();
  bridge = undefined;
});
beforeEach(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

/** The digest stand-in: reads every stored iteration where the state machine says they are. */
const digestStandIn: BridgedHandler = async (event) => {
  const { night, listed, resultsLocation } = event as {
    night: string;
    listed: { accounts: StandInAccount[] };
    resultsLocation: { bucket: string; prefix: string };
  };
  const iterations = await storedIterations(s3, resultsLocation.bucket, resultsLocation.prefix);
  return { night, listed: listed.accounts.length, iterations };
};

async function deploy(definition: AslDefinition): Promise<string> {
  const values = {
    OrgCheckGuardArn: functionArn('orgCheckGuard'),
    OrgListAccountsArn: functionArn('orgListAccounts'),
    OrgEnforceAccountArn: functionArn('orgEnforceAccount'),
    OrgDigestArn: functionArn('orgDigest'),
    ResultsBucket: BUCKET,
  };
  return createStateMachine(sfn, 'key-hygiene-test-organization', substituted(definition, values));
}

/** Starts a night with the real starter (shared/org-night), as the schedule or a person would. */
const start = (stateMachineArn: string, request: Partial<StartNightRequest> = {}) =>
  startNight(
    { executions: stepFunctionsExecutions(sfn, stateMachineArn), clock: () => new Date() },
    // The night asked for, unless the request is the schedule's (its scheduled time decides the night).
    {
      rerun: false,
      dryRun: false,
      ...(request.scheduledTime === undefined ? { night: NIGHT } : {}),
      ...request,
    },
    { timeZone: 'UTC', dryRun: false },
  );

async function runNight(
  worker: (event: AccountEvent) => Promise<unknown>,
  definition?: AslDefinition,
): Promise<{
  output: { night: string; listed: number; iterations: Record<string, unknown>[] };
  arn: string;
}> {
  bridge = await startLambdaBridge(endpoint, {
    orgListAccounts: listAccountsStandIn(ACCOUNTS),
    orgEnforceAccount: (event) => worker(event as AccountEvent),
    orgDigest: digestStandIn,
  });
  const stateMachineArn = await deploy(definition ?? (await shippedDefinition()));
  const started = await start(stateMachineArn);
  const execution = await finishedExecution(sfn, started.executionArn);
  expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
  return { output: JSON.parse(execution.output ?? 'null'), arn: started.executionArn };
}

const workerCalls = () =>
  (bridge?.invocations ?? []).filter((call) => call.functionName === 'orgEnforceAccount');
const byAccount = (iterations: Record<string, unknown>[]) =>
  new Map(
    iterations.map((iteration) => [
      ((iteration.account as StandInAccount | undefined)?.accountId ?? iteration.accountId) as string,
      iteration,
    ]),
  );

describe('the organization state machine in the emulator', () => {
  it('runs the worker once for every listed account, then the digest over all their results', async () => {
    const { output } = await runNight(async (event) => doneResult(event));

    expect(workerCalls().map((call) => call.event)).toEqual(
      expect.arrayContaining(ACCOUNTS.map((account) => ({ night: NIGHT, dryRun: false, account }))),
    );
    expect(workerCalls()).toHaveLength(3);
    expect(output.listed).toBe(3);
    expect([...byAccount(output.iterations).keys()].sort()).toEqual(ACCOUNTS.map((a) => a.accountId));
    expect(output.iterations.every((iteration) => iteration.status === 'done')).toBe(true);
  });

  it('catches a failing account, finishes the others, and hands the failure to the digest', async () => {
    const { output } = await runNight(async (event) => {
      if (event.account.name === 'analytics') throw new Error('the member role is broken');
      return doneResult(event);
    });

    const results = byAccount(output.iterations);
    expect(results.get('111111111111')).toMatchObject({ status: 'done' });
    expect(results.get('333333333333')).toMatchObject({ status: 'done' });
    const failed = results.get('222222222222') as {
      account: StandInAccount;
      error: { Error: string; Cause: string };
    };
    expect(failed.account).toEqual(ACCOUNTS[1]);
    expect(failed.error.Error).toBe('Error');
    expect(JSON.parse(failed.error.Cause)).toMatchObject({ errorMessage: 'the member role is broken' });
  });

  it('retries an account the Lambda service turned away, and it finishes', async () => {
    let turnedAway = 0;
    const { output, arn } = await runNight(async (event) => {
      if (event.account.name === 'payments' && turnedAway === 0) {
        turnedAway += 1;
        throw new LambdaServiceError('TooManyRequestsException');
      }
      return doneResult(event);
    });

    expect(turnedAway).toBe(1);
    const paymentsCalls = workerCalls().filter(
      (call) => (call.event as AccountEvent).account.name === 'payments',
    );
    expect(paymentsCalls.map((call) => call.outcome)).toEqual(['service-error', 'ok']);
    expect(byAccount(output.iterations).get('111111111111')).toMatchObject({ status: 'done' });
    // The retry happened in a child execution; the parent records the Map run, not each task.
    expect((await executionHistory(sfn, arn)).some((event) => event.type === 'MapRunSucceeded')).toBe(true);
  });

  it('works on no more accounts at once than orgMaxConcurrency', async () => {
    let running = 0;
    let peak = 0;
    const definition = await shippedDefinition({ orgMaxConcurrency: '2' });

    const { output } = await runNight(async (event) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 200));
      running -= 1;
      return doneResult(event);
    }, definition);

    expect(output.iterations).toHaveLength(3);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('starts a night once when two starts arrive at once: one execution, each account and the digest once', async () => {
    bridge = await startLambdaBridge(endpoint, {
      orgListAccounts: listAccountsStandIn(ACCOUNTS),
      orgEnforceAccount: async (event) => doneResult(event as AccountEvent),
      orgDigest: digestStandIn,
    });
    const stateMachineArn = await deploy(await shippedDefinition());
    const scheduled = () => start(stateMachineArn, { scheduledTime: new Date(`${NIGHT}T03:00:00Z`) });

    const starts = await Promise.all([scheduled(), scheduled()]);

    expect(new Set(starts.map((result) => result.executionArn)).size).toBe(1);
    const execution = await finishedExecution(sfn, starts[0]?.executionArn ?? '');
    expect(execution.status).toBe('SUCCEEDED');
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(listed.executions?.map((entry) => entry.name)).toEqual([`night-${NIGHT}`]);
    expect(workerCalls()).toHaveLength(3);
    expect(bridge.invocations.filter((call) => call.functionName === 'orgDigest')).toHaveLength(1);

    // A third start, after the night: the schedule's late retry finds it done and starts nothing.
    expect((await scheduled()).outcome).toBe('already-started');
    expect(bridge.invocations.filter((call) => call.functionName === 'orgDigest')).toHaveLength(1);
  });
});

// The security account is moto's management account here; a service-managed StackSet does not reach it.
const REAL_SETTINGS = {
  ...ORG_MAIL,
  ORG_EXCLUDE_ACCOUNTS: '123456789012',
  ORG_RESULTS_BUCKET: BUCKET,
  AWS_S3_FORCE_PATH_STYLE: 'true',
};

/** The organization package's three real handlers, as the bridge answers them. */
async function realHandlers(extra: Record<string, string> = {}): Promise<Record<string, BridgedHandler>> {
  const settings = { ...REAL_SETTINGS, ...extra };
  const list = await loadOrgListAccountsHandler(settings);
  const worker = await loadOrgEnforceAccountHandler(settings);
  const digest = await loadOrgDigestHandler(settings);
  const guard = await loadOrgCheckGuardHandler(settings);
  return {
    orgListAccounts: (event) => list(event),
    orgEnforceAccount: (event) => worker(event),
    orgDigest: (event) => digest(event),
    orgCheckGuard: (event) => guard(event),
  };
}

const subjectOf = (mail: SentEmail) =>
  mail.kind === 'raw' ? decodeHeader(parseMail(mail.rawData).headers.subject ?? '') : mail.subject;
const recipients = (mail: SentEmail) =>
  mail.kind === 'raw' ? mail.destinations : (mail.destinations.ToAddresses ?? []);

async function keyStatuses(accountId: string, userName: string): Promise<string[]> {
  const iam = await memberIamClient(accountId, endpoint);
  const answer = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return (answer.AccessKeyMetadata ?? []).map((key) => key.Status ?? '');
}

describe('the organization state machine with the real handlers, on an emulated organization', () => {
  it('works each member account through its member role, reports the one without it, and mails one digest', async () => {
    const org = await seedThreeAccountOrganization(control, endpoint);
    const account = (name: string) => org.accounts.find((entry) => entry.name === name)?.accountId ?? '';
    const handlers = await realHandlers();
    let turnedAway = 0;
    bridge = await startLambdaBridge(endpoint, {
      ...handlers,
      // The Lambda service turns the first worker invocation away: the Map's Retry runs it again.
      orgEnforceAccount: async (event, name) => {
        if (turnedAway === 0) {
          turnedAway += 1;
          throw new LambdaServiceError('TooManyRequestsException');
        }
        return handlers.orgEnforceAccount?.(event, name);
      },
    });
    const stateMachineArn = await deploy(await shippedDefinition());

    const started = await start(stateMachineArn);
    const execution = await finishedExecution(sfn, started.executionArn);

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    expect(turnedAway).toBe(1);
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({
      totals: { accounts: 3, done: 2, failedAccounts: 1, skipped: 1, deactivated: 2 },
      mail: { status: 'sent' },
    });
    expect(await keyStatuses(account('payments'), 'pay.overdue')).toEqual(['Inactive']);
    expect(await keyStatuses(account('payments'), 'pay.fresh')).toEqual(['Active']);
    expect(await keyStatuses(account('analytics'), 'ana.overdue')).toEqual(['Inactive']);
    expect(await keyStatuses(account('sandbox'), 'sand.overdue')).toEqual(['Active']);
    const digests = (await control.sentEmails()).filter((mail) =>
      subjectOf(mail).includes('Organization report'),
    );
    expect(digests).toHaveLength(1);
    expect(digests[0] && subjectOf(digests[0])).toContain('1 account failed');
  });

  it('neither acts nor mails twice when the night is started twice at once', async () => {
    const org = await seedThreeAccountOrganization(control, endpoint);
    bridge = await startLambdaBridge(endpoint, await realHandlers());
    const stateMachineArn = await deploy(await shippedDefinition());
    const scheduled = () => start(stateMachineArn, { scheduledTime: new Date(`${NIGHT}T03:00:00Z`) });

    const starts = await Promise.all([scheduled(), scheduled()]);
    const execution = await finishedExecution(sfn, starts[0]?.executionArn ?? '');
    // A late delivery of the schedule, after the night: nothing more.
    const late = await scheduled();

    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    expect(new Set([...starts, late].map((result) => result.executionArn)).size).toBe(1);
    expect(late.outcome).toBe('already-started');
    const workerRuns = bridge.invocations.filter((call) => call.functionName === 'orgEnforceAccount');
    expect(workerRuns).toHaveLength(org.accounts.length);
    const mails = await control.sentEmails();
    expect(mails.filter((mail) => subjectOf(mail).includes('Organization report'))).toHaveLength(1);
    expect(mails.filter((mail) => recipients(mail).includes('pay.overdue@example.com'))).toHaveLength(1);
    expect(mails.filter((mail) => recipients(mail).includes('ana.overdue@example.com'))).toHaveLength(1);
  });
});

describe('the organization-wide guard in the state machine (orgMaxActions set)', () => {
  async function guardedNight(maxActions: string, dryRun = false) {
    const org = await seedThreeAccountOrganization(control, endpoint);
    bridge = await startLambdaBridge(endpoint, await realHandlers({ ORG_MAX_ACTIONS: maxActions }));
    const stateMachineArn = await deploy(await shippedDefinition({ orgMaxActions: maxActions }));
    const started = await start(stateMachineArn, { dryRun });
    const execution = await finishedExecution(sfn, started.executionArn);
    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    const account = (name: string) => org.accounts.find((entry) => entry.name === name)?.accountId ?? '';
    const workerEvents = bridge.invocations
      .filter((call) => call.functionName === 'orgEnforceAccount')
      .map((call) => call.event as { forecast?: boolean });
    return { output: JSON.parse(execution.output ?? '{}'), account, workerEvents };
  }

  it('forecasts every account, and when more is planned than the limit, no account acts', async () => {
    // Two overdue keys are planned across the organization; the limit is one.
    const { output, account, workerEvents } = await guardedNight('1');

    expect(workerEvents.every((event) => event.forecast === true)).toBe(true);
    expect(workerEvents).toHaveLength(3);
    expect(output).toMatchObject({ guard: { limit: 1, planned: 2, tripped: true } });
    expect(await keyStatuses(account('payments'), 'pay.overdue')).toEqual(['Active']);
    expect(await keyStatuses(account('analytics'), 'ana.overdue')).toEqual(['Active']);
    const digests = (await control.sentEmails()).filter((mail) =>
      subjectOf(mail).includes('Organization report'),
    );
    expect(digests).toHaveLength(1);
  });

  it('forecasts, then runs every account when the plan stays within the limit', async () => {
    const { output, account, workerEvents } = await guardedNight('10');

    expect(workerEvents.filter((event) => event.forecast === true)).toHaveLength(3);
    expect(workerEvents.filter((event) => event.forecast !== true)).toHaveLength(3);
    expect(output).toMatchObject({ guard: { limit: 10, planned: 2, tripped: false } });
    expect(await keyStatuses(account('payments'), 'pay.overdue')).toEqual(['Inactive']);
  });

  it('skips the forecast in a dry run, which acts on nothing anyway', async () => {
    const { workerEvents, account } = await guardedNight('1', true);

    expect(workerEvents).toHaveLength(3);
    expect(workerEvents.every((event) => event.forecast !== true)).toBe(true);
    expect(await keyStatuses(account('payments'), 'pay.overdue')).toEqual(['Active']);
  });
});
