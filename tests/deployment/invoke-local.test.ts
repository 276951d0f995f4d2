// `serverless invoke local -f <function>` for each function, as the README shows it, against the emulator:
// osls bundles the function with serverless-esbuild, loads the bundle, invokes it with the stage's settings
// and exits with the invocation's outcome.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  GetAccountPasswordPolicyCommand,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { subscribeChatInbox } from '../../scripts/chat-inbox.ts';
import { createDemoStack } from '../../scripts/demo-stack.ts';
import { createEmulatedOrganization } from '../../scripts/emulated-organization.ts';
import { type Emulator, emulatorEnvironment, startEmulator } from '../../scripts/emulator/index.ts';
import { seedOnboardingAccount } from '../../scripts/onboarding-account.ts';
import { addDays } from '../../shared/kernel/time.ts';
import { noticeTag } from '../../shared/key-enforcement/key-records.ts';
import { REPO_ROOT } from '../helpers/deployment.ts';
import { emulatorClientConfig, iamClient } from '../helpers/emulator.ts';

// A hang, not a slow machine: an invocation takes seconds (a minute on a loaded machine), a hung one never
// ends. Below the project's test timeout, so that a hang fails with the invocation's output.
const HUNG_AFTER_MS = 240_000;

interface Invocation {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator?.stop();
});

beforeEach(async () => {
  await emulator.control.reset();
});

/** Runs this repository's `serverless invoke local` with the emulator's AWS settings, and nothing else's. */
function invokeLocal(fn: string, data: unknown, ...options: string[]): Promise<Invocation> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...emulatorEnvironment(emulator.endpoint),
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN']) delete env[name];
  // allowedGroups has no default: serverless.yml does not resolve without it, whichever function runs.
  const required = ['--param', 'allowedGroups=developers'];
  const args = ['invoke', 'local', '-f', fn, '--data', JSON.stringify(data), ...required, ...options];
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/serverless'), args, { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), HUNG_AFTER_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** What the invocation returned or threw: osls prints it last, indented, after the function's log lines. */
function printedResult({ stdout }: Invocation): Record<string, unknown> {
  return JSON.parse(stdout.slice(stdout.lastIndexOf('\n{\n') + 1));
}

/** The invocation ended by itself (a hung one is killed), with `code`; the output explains any other end. */
function expectExit(invocation: Invocation, code: number | 'non-zero'): void {
  const output = `${invocation.stdout}\n${invocation.stderr}`;
  expect(invocation.signal, `killed: no exit within ${HUNG_AFTER_MS / 1000} s\n${output}`).toBeNull();
  if (code === 'non-zero') expect(invocation.code, output).not.toBe(0);
  else expect(invocation.code, output).toBe(code);
}

describe('serverless invoke local against the emulator', () => {
  it('runs enforceKeys: deactivates the overdue key, posts to the stack’s chat topic and returns the run summary', async () => {
    // CHAT_TOPIC_ARN is a Ref to the stack's ChatTopic, which `invoke local` reads from the deployed stack.
    const { chatTopicArn } = await createDemoStack(
      new CloudFormationClient(emulatorClientConfig(emulator.endpoint)),
    );
    const chat = await subscribeChatInbox(chatTopicArn, emulatorClientConfig(emulator.endpoint));
    const now = new Date();
    const [overdue] = await emulator.control.seedUsers([
      { userName: 'bob.overdue', keys: [{ createDate: addDays(now, -120) }] },
      { userName: 'ann.fresh', keys: [{ createDate: addDays(now, -10) }] },
    ]);
    // Its owner was warned by an earlier run: a key never warned gets a first notice before any deactivation.
    await iamClient(emulator.endpoint).send(
      new TagUserCommand({
        UserName: 'bob.overdue',
        Tags: [{ Key: noticeTag(overdue?.accessKeyIds[0] ?? ''), Value: 'warning-1' }],
      }),
    );

    const invocation = await invokeLocal('enforceKeys', {});

    expectExit(invocation, 0);
    expect(printedResult(invocation)).toMatchObject({
      dryRun: false,
      usersInReport: 2,
      decisions: { deactivate: 1 },
      keys: [
        {
          userName: 'bob.overdue',
          accessKeyId: overdue?.accessKeyIds[0],
          decision: 'deactivate',
          outcome: 'done',
        },
      ],
    });
    const keys = await iamClient(emulator.endpoint).send(
      new ListAccessKeysCommand({ UserName: 'bob.overdue' }),
    );
    expect(keys.AccessKeyMetadata?.map((key) => key.Status)).toEqual(['Inactive']);
    const posted = await chat.received(1);
    expect(posted.map((message) => message.notification.content.title)).toEqual([
      expect.stringMatching(/^Account 123456789012: Nightly report \d{4}-\d{2}-\d{2}: 1 deactivated/),
    ]);
  });

  it('runs enforcePasswordPolicy: sets the baseline on an account that has no password policy, and posts it', async () => {
    const { chatTopicArn } = await createDemoStack(
      new CloudFormationClient(emulatorClientConfig(emulator.endpoint)),
    );
    const chat = await subscribeChatInbox(chatTopicArn, emulatorClientConfig(emulator.endpoint));

    const invocation = await invokeLocal('enforcePasswordPolicy', {});

    expectExit(invocation, 0);
    expect(printedResult(invocation)).toMatchObject({ dryRun: false, outcome: 'created', before: null });
    const { PasswordPolicy: policy } = await iamClient(emulator.endpoint).send(
      new GetAccountPasswordPolicyCommand({}),
    );
    expect(policy).toMatchObject({
      MinimumPasswordLength: 14,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
    });
    const posted = await chat.received(1);
    expect(posted.map((message) => message.notification.content.title)).toEqual([
      'This account: Password policy created',
    ]);
  });

  it('runs onboardUser: creates the user with the self-service policy the stack holds', async () => {
    const account = await seedOnboardingAccount(emulatorClientConfig(emulator.endpoint), emulator.control);

    const invocation = await invokeLocal('onboardUser', {
      userName: 'jane.doe',
      email: 'jane.doe@example.com',
      groups: ['developers'],
    });

    expectExit(invocation, 0);
    const [user] = (printedResult(invocation).users ?? []) as Record<string, unknown>[];
    expect(user).toMatchObject({
      userName: 'jane.doe',
      groups: ['developers'],
      policyArns: [account.selfServicePolicyArn, account.changePasswordPolicyArn],
      passwordResetRequired: true,
      temporaryPassword: expect.any(String),
    });
    const groups = await iamClient(emulator.endpoint).send(
      new ListGroupsForUserCommand({ UserName: 'jane.doe' }),
    );
    expect(groups.Groups?.map((group) => group.GroupName)).toEqual(['developers']);
  });

  it('exits non-zero on an event the function refuses, naming the field, and creates nothing', async () => {
    await seedOnboardingAccount(emulatorClientConfig(emulator.endpoint), emulator.control);

    const invocation = await invokeLocal('onboardUser', {
      userName: 'jane doe',
      email: 'jane.doe@example.com',
    });

    expectExit(invocation, 'non-zero');
    expect(printedResult(invocation)).toMatchObject({
      errorType: 'InvalidOnboardingRequestError',
      errorMessage: expect.stringContaining('userName: may hold only letters'),
    });
    const users = await iamClient(emulator.endpoint).send(new ListUsersCommand({}));
    expect(users.Users).toEqual([]);
  });

  it('runs orgListAccounts with organizationMode=true: lists the organization, the excluded account set aside', async () => {
    const org = await createEmulatedOrganization(
      emulator.control,
      [
        { name: 'payments', alias: 'payments-prod' },
        { name: 'sandbox', memberRole: false },
      ],
      {
        client: emulatorClientConfig(emulator.endpoint),
        memberRoleName: 'key-hygiene-member',
        workerRoleArn: 'arn:aws:iam::123456789012:role/key-hygiene-org-worker',
      },
    );

    const invocation = await invokeLocal(
      'orgListAccounts',
      { night: '2026-11-30' },
      '--param',
      'organizationMode=true',
      '--param',
      `orgExcludeAccounts=${org.securityAccountId}`,
    );

    expectExit(invocation, 0);
    expect(printedResult(invocation)).toEqual({
      night: '2026-11-30',
      dryRun: false,
      // Listed in account-id order (selectAccounts sorts them); the emulator's ids are random.
      accounts: org.accounts
        .map((account) => ({ accountId: account.accountId, name: account.name }))
        .sort((a, b) => a.accountId.localeCompare(b.accountId)),
      skipped: [{ accountId: org.securityAccountId, name: expect.any(String), reason: 'excluded' }],
    });
  });

  it('exits non-zero, instead of hanging, when the function fails to start on a bad setting', async () => {
    await createDemoStack(new CloudFormationClient(emulatorClientConfig(emulator.endpoint)));

    const invocation = await invokeLocal('enforceKeys', {}, '--param', 'keyMaxAgeDays=ninety');

    expectExit(invocation, 'non-zero');
    expect(invocation.stderr).toContain(
      'KEY_MAX_AGE_DAYS: must be a whole number from 1 to 3650 (got "ninety")',
    );
  });
});
