// The organization part of `npm run bench`: a night of the shipped state machine over an emulated
// organization (N accounts x M users, a share of them due), executed by the emulator's Step Functions with
// the real handlers answering its Lambda tasks (scripts/emulator/lambda-bridge.ts); at the default
// concurrency and one account at a time. Then one account's requests against a single-account run of the
// same account, the digest step's memory in a process of its own, and the digest and state sizes at 1,000
// accounts. See BENCHMARKS.md.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation DefinitionSubstitutions placeholders.
import { createRequire } from 'node:module';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { Mailer, MailMessage } from '../../shared/mail/index.ts';
import type {
  startNight as StartNight,
  stepFunctionsExecutions as StepFunctionsExecutions,
} from '../../shared/org-night/index.ts';
import type { AccountRunResult, OrganizationRunSummary } from '../../shared/organization/index.ts';
import { createEmulatedOrganization, type EmulatedOrganization } from '../emulated-organization.ts';
import { type EmulatorControl, emulatorEnvironment, type ServedRequests } from '../emulator/index.ts';
import { type BridgedHandler, startLambdaBridge } from '../emulator/lambda-bridge.ts';
import { lambdaContext } from '../local-invoke.ts';
import { BENCH_ENVIRONMENT, benchAccount } from './bench-account.ts';
import { BenchRunError } from './errors.ts';
import { measureRun, type RunMeasurement } from './measure-in-child.ts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const BUCKET = 'key-hygiene-bench-org-results';
const SENDER = 'key-hygiene@example.com';
const SECURITY_TEAM = 'security-team@example.com';
const MEMBER_ROLE = 'key-hygiene-member';
const WORKER_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/key-hygiene-org-worker`;
/** The state payload limit of Step Functions. */
const PAYLOAD_LIMIT_BYTES = 256 * 1024;
/** SES v2's largest message, attachments included, after MIME encoding. */
const SES_MESSAGE_LIMIT_BYTES = 40 * 1024 * 1024;

export interface OrgBenchOptions {
  accounts: number;
  usersPerAccount: number;
  duePercent: number;
  /** The concurrencies the night is run at: the default, and one account at a time. */
  concurrencies: number[];
  /** The organization size the digest and the state payload are sized at. */
  digestAccounts: number;
}

export interface OrgNightRun {
  concurrency: number;
  wallMs: number;
  accountsDone: number;
  accountsFailed: number;
  deactivated: number;
  /**
   * The AWS requests the night made, by service: the handlers', and the state machine's own (Lambda
   * invokes, the ResultWriter's S3 writes); not the bench's polling of the execution.
   */
  requestsByService: Record<string, number>;
}

export interface OrgBenchResults {
  options: OrgBenchOptions;
  dueKeysPerAccount: number;
  nights: OrgNightRun[];
  /** One member account's requests in the organization run, and the same account run single-account. */
  perAccount: {
    organization: Record<string, number>;
    singleAccount: Record<string, number>;
    /** Actions whose counts differ, with both counts. */
    differences: { action: string; organization: number; singleAccount: number }[];
  };
  digest: RunMeasurement;
  atScale: {
    accounts: number;
    /** The digest mail's parts, in bytes: HTML, plain text, the CSV of every key (as attached: plain or gzip). */
    htmlBytes: number;
    textBytes: number;
    attachment: { filename: string; bytes: number } | undefined;
    /** The raw message's size estimated as HTML + text + the base64 attachment (MIME headers aside). */
    mimeBytes: number;
    sesLimitBytes: number;
    /** The largest state the execution carries: the listing (names 50 characters, aliases 63). */
    largestStateBytes: number;
    payloadLimitBytes: number;
  };
}

type Log = (line: string) => void;

const stateMachineModule = createRequire(import.meta.url)('../../deploy/org-state-machine.cfn.cjs') as {
  definitionOf: (settings: { maxConcurrency: number; organizationGuard: boolean }) => unknown;
};

const clientSettings = (endpoint: string) => ({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

/** The environment the handlers read at import: the emulator's, mail, the results bucket, the bench's limits (they decide by the real clock, the one the accounts were seeded against). */
function handlerEnvironment(endpoint: string): Record<string, string> {
  return {
    ...emulatorEnvironment(endpoint),
    SENDER_EMAIL: SENDER,
    SECURITY_TEAM_EMAILS: SECURITY_TEAM,
    ORG_MEMBER_ROLE_NAME: MEMBER_ROLE,
    ORG_RESULTS_BUCKET: BUCKET,
    ORG_EXCLUDE_ACCOUNTS: ACCOUNT,
    ...BENCH_ENVIRONMENT,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** The organization's accounts, the sender verified in the security account, the results bucket. */
async function seedOrganization(
  control: EmulatorControl,
  endpoint: string,
  options: OrgBenchOptions,
  now: Date,
): Promise<EmulatedOrganization> {
  await control.reset();
  await new SESv2Client(clientSettings(endpoint)).send(
    new CreateEmailIdentityCommand({ EmailIdentity: SENDER }),
  );
  await new S3Client({ ...clientSettings(endpoint), forcePathStyle: true }).send(
    new CreateBucketCommand({ Bucket: BUCKET }),
  );
  const { users } = benchAccount({ users: options.usersPerAccount, duePercent: options.duePercent, now });
  const specs = Array.from({ length: options.accounts }, (_, index) => ({
    name: `bench-account-${String(index + 1).padStart(4, '0')}`,
    users,
  }));
  return createEmulatedOrganization(control, specs, {
    client: clientSettings(endpoint),
    memberRoleName: MEMBER_ROLE,
    workerRoleArn: WORKER_ROLE_ARN,
  });
}

interface OrgHandlers {
  handlers: Record<string, BridgedHandler>;
  /** The digest's last event, to measure the digest again in a process of its own. */
  lastDigestEvent: () => unknown;
}

/** The real handlers, imported once with the bench's environment (they read it at import, as at a cold start). */
async function loadHandlers(): Promise<OrgHandlers> {
  const list = (await import('../../functions/org-list-accounts.ts')).handler;
  const worker = (await import('../../functions/org-enforce-account.ts')).handler;
  const digest = (await import('../../functions/org-digest.ts')).handler;
  let lastDigestEvent: unknown;
  const invoke =
    (handler: (event: unknown, context: never) => Promise<unknown>, name: string): BridgedHandler =>
    (event) =>
      handler(event, lambdaContext(name, 900_000) as never);
  return {
    handlers: {
      orgListAccounts: invoke(list as never, 'orgListAccounts'),
      orgEnforceAccount: invoke(worker as never, 'orgEnforceAccount'),
      orgDigest: (event) => {
        lastDigestEvent = event;
        return invoke(digest as never, 'orgDigest')(event, 'orgDigest');
      },
    },
    lastDigestEvent: () => lastDigestEvent,
  };
}

async function finished(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One night of the shipped state machine at `concurrency`, on a freshly seeded organization. */
async function runNight(
  night: { startNight: typeof StartNight; stepFunctionsExecutions: typeof StepFunctionsExecutions },
  control: EmulatorControl,
  endpoint: string,
  handlers: OrgHandlers,
  options: OrgBenchOptions,
  concurrency: number,
  now: Date,
): Promise<OrgNightRun> {
  const org = await seedOrganization(control, endpoint, options, now);
  const sfn = new SFNClient(clientSettings(endpoint));
  let definition = JSON.stringify(
    stateMachineModule.definitionOf({ maxConcurrency: concurrency, organizationGuard: false }),
  );
  const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
  for (const [name, value] of Object.entries({
    OrgListAccountsArn: functionArn('orgListAccounts'),
    OrgEnforceAccountArn: functionArn('orgEnforceAccount'),
    OrgDigestArn: functionArn('orgDigest'),
    ResultsBucket: BUCKET,
  })) {
    definition = definition.replaceAll(`\${${name}}`, value);
  }
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name: `bench-organization-${concurrency}`,
      definition,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/bench-organization`,
    }),
  );
  const bridge = await startLambdaBridge(endpoint, handlers.handlers);
  try {
    await control.clearServedRequests();
    const started = performance.now();
    const start = await night.startNight(
      { executions: night.stepFunctionsExecutions(sfn, created.stateMachineArn ?? ''), clock: () => now },
      { night: now.toISOString().slice(0, 10), rerun: false, dryRun: false },
      { timeZone: 'UTC', dryRun: false },
    );
    const execution = await finished(sfn, start.executionArn);
    const wallMs = performance.now() - started;
    if (execution.status !== 'SUCCEEDED') {
      throw new BenchRunError(`The organization night failed: ${execution.error}: ${execution.cause}`);
    }
    const summary = JSON.parse(execution.output ?? '{}') as OrganizationRunSummary;
    // Not the bench's own polling of the execution's status.
    const requests = (await control.servedRequests()).filter(
      (entry) => !(entry.service === 'states' && entry.action === 'DescribeExecution'),
    );
    const byService: Record<string, number> = {};
    for (const entry of requests) byService[entry.service] = (byService[entry.service] ?? 0) + entry.count;
    if (summary.totals.done !== org.accounts.length) {
      throw new BenchRunError(
        `The organization night finished ${summary.totals.done} of ${org.accounts.length} accounts`,
      );
    }
    return {
      concurrency,
      wallMs,
      accountsDone: summary.totals.done,
      accountsFailed: summary.totals.failedAccounts,
      deactivated: summary.totals.deactivated,
      requestsByService: byService,
    };
  } finally {
    await bridge.stop();
  }
}

// S3 is a REST API: the harness names its requests by method and path; name them as IAM does.
const S3_ACTIONS: Record<string, string> = { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject' };
const actionName = ({ service, action }: ServedRequests) =>
  `${service}:${service === 's3' ? (S3_ACTIONS[action.split(' ')[0] ?? ''] ?? action) : action}`;

const byAction = (requests: ServedRequests[]) => {
  const counts: Record<string, number> = {};
  for (const entry of requests) counts[actionName(entry)] = (counts[actionName(entry)] ?? 0) + entry.count;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
};

/**
 * One member account's requests in the organization run (its worker, alone), and those of a single-account
 * run (enforceKeys and enforcePasswordPolicy, in fresh processes) over the same users.
 */
async function compareWithSingleAccount(
  control: EmulatorControl,
  endpoint: string,
  handlers: OrgHandlers,
  options: OrgBenchOptions,
  now: Date,
): Promise<OrgBenchResults['perAccount']> {
  const org = await seedOrganization(control, endpoint, { ...options, accounts: 1 }, now);
  const [account] = org.accounts;
  if (account === undefined) throw new BenchRunError('The emulated organization has no account');
  await control.clearServedRequests();
  const result = (await handlers.handlers.orgEnforceAccount?.(
    {
      night: now.toISOString().slice(0, 10),
      dryRun: false,
      account: { accountId: account.accountId, name: account.name },
    },
    'orgEnforceAccount',
  )) as AccountRunResult;
  if (result.status !== 'done')
    throw new BenchRunError(`The worker failed: ${JSON.stringify(result.failure)}`);
  const organization = byAction(await control.servedRequests());

  await control.reset();
  await new SESv2Client(clientSettings(endpoint)).send(
    new CreateEmailIdentityCommand({ EmailIdentity: SENDER }),
  );
  const { users } = benchAccount({ users: options.usersPerAccount, duePercent: options.duePercent, now });
  await control.seedUsers(users);
  const single: Record<string, number> = {};
  for (const kind of ['handler', 'password-policy'] as const) {
    const run = await measureRun(kind, {
      endpoint,
      control,
      now,
      extraEnv: { SENDER_EMAIL: SENDER, SECURITY_TEAM_EMAILS: SECURITY_TEAM },
    });
    for (const [action, count] of Object.entries(byAction(run.requests)))
      single[action] = (single[action] ?? 0) + count;
  }
  const actions = [...new Set([...Object.keys(organization), ...Object.keys(single)])].sort();
  return {
    organization,
    singleAccount: single,
    differences: actions
      .filter((action) => (organization[action] ?? 0) !== (single[action] ?? 0))
      .map((action) => ({
        action,
        organization: organization[action] ?? 0,
        singleAccount: single[action] ?? 0,
      })),
  };
}

/** A mailer that keeps the message instead of sending it. */
function capturingMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
      return { status: 'sent', messageId: `bench-${sent.length}` };
    },
  };
}

/**
 * The digest and the largest state at `accounts` accounts: every account like the measured one (its result,
 * its key inventory as the worker stored it), rendered by the real digest code.
 */
async function sizeAtScale(
  accounts: number,
  sample: { result: AccountRunResult; inventory: string[][] },
): Promise<OrgBenchResults['atScale']> {
  const { sendOrganizationDigest } = await import('../../shared/organization/index.ts');
  const accountId = (index: number) => String(100_000_000_000 + index).padStart(12, '0');
  const results: AccountRunResult[] = Array.from({ length: accounts }, (_, index) => ({
    ...sample.result,
    accountId: accountId(index),
    name: `account-${index}`,
    keysCsvKey: `inventory/${accountId(index)}.json`,
  }));
  const mailer = capturingMailer();
  await sendOrganizationDigest(
    {
      mailer,
      securityTeam: [SECURITY_TEAM],
      readInventory: async () => sample.inventory,
      log: { warn: () => {}, info: () => {} } as never,
    },
    { night: '2026-11-30', dryRun: false, results, skipped: [] },
  );
  const [message] = mailer.sent;
  if (message === undefined) throw new BenchRunError('The digest at scale sent nothing');
  const [attached] = message.attachments ?? [];
  const attachment =
    attached === undefined
      ? undefined
      : {
          filename: attached.filename,
          bytes:
            typeof attached.content === 'string'
              ? Buffer.byteLength(attached.content)
              : attached.content.byteLength,
        };
  const htmlBytes = Buffer.byteLength(message.html);
  const textBytes = Buffer.byteLength(message.text);
  // The listing the state carries from ListAccounts to the digest, at its largest.
  const listed = {
    night: '2026-11-30',
    dryRun: false,
    accounts: Array.from({ length: accounts }, (_, index) => ({
      accountId: accountId(index),
      name: 'n'.repeat(50),
      alias: 'a'.repeat(63),
    })),
    skipped: [],
  };
  const largestState = {
    listed,
    run: {
      MapRunArn: `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:key-hygiene-prod-organization/Accounts:${'0'.repeat(36)}`,
      ResultWriterDetails: {
        Bucket: 'x'.repeat(63),
        Key: `organization-runs/run/${'0'.repeat(36)}/manifest.json`,
      },
    },
  };
  return {
    accounts,
    htmlBytes,
    textBytes,
    attachment,
    mimeBytes: htmlBytes + textBytes + Math.ceil((attachment?.bytes ?? 0) / 3) * 4,
    sesLimitBytes: SES_MESSAGE_LIMIT_BYTES,
    largestStateBytes: Buffer.byteLength(JSON.stringify(largestState)),
    payloadLimitBytes: PAYLOAD_LIMIT_BYTES,
  };
}

/**
 * The organization bench. Sets the handlers' environment in this process while it runs (they read it
 * when imported, once per process), so it runs last in `npm run bench`.
 * @throws {BenchRunError} when a night fails or does not finish every account.
 */
export async function runOrgBench(
  emulator: { endpoint: string; control: EmulatorControl },
  options: OrgBenchOptions,
  now: Date,
  log: Log,
): Promise<OrgBenchResults> {
  const environment = handlerEnvironment(emulator.endpoint);
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  try {
    return await benchOrganization(emulator, options, now, log);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function benchOrganization(
  emulator: { endpoint: string; control: EmulatorControl },
  options: OrgBenchOptions,
  now: Date,
  log: Log,
): Promise<OrgBenchResults> {
  const { endpoint, control } = emulator;
  // The one logger: created when the bench first imported a package, before these settings.
  const { logger } = await import('../../shared/kernel/index.ts');
  logger.setLogLevel('ERROR');
  const orgNight = await import('../../shared/org-night/index.ts');
  const handlers = await loadHandlers();
  const dueKeysPerAccount = benchAccount({
    users: options.usersPerAccount,
    duePercent: options.duePercent,
    now,
  }).dueKeys;

  const nights: OrgNightRun[] = [];
  for (const concurrency of options.concurrencies) {
    log(
      `  seeding ${options.accounts} accounts x ${options.usersPerAccount} users, then a night at concurrency ${concurrency}...`,
    );
    const night = await runNight(orgNight, control, endpoint, handlers, options, concurrency, now);
    log(
      `  concurrency ${concurrency}: ${(night.wallMs / 1000).toFixed(1)} s, ${night.accountsDone} accounts done, ` +
        `${night.deactivated} keys deactivated`,
    );
    nights.push(night);
  }

  log('  the digest step again, in a process of its own, for its memory...');
  const digestEvent = handlers.lastDigestEvent();
  const digest = await measureRun('org-digest', {
    endpoint,
    control,
    now,
    extraEnv: {
      ...handlerEnvironment(endpoint),
      KEY_HYGIENE_BENCH_EVENT: JSON.stringify(digestEvent),
    },
  });

  log('  one account in the organization run against a single-account run of the same account...');
  const perAccount = await compareWithSingleAccount(control, endpoint, handlers, options, now);

  log(`  the digest and the state at ${options.digestAccounts} accounts...`);
  const { readKeyInventory } = await import('../../shared/organization/index.ts');
  const { createS3Client, loadAwsClientSettings } = await import('../../shared/kernel/index.ts');
  // The one account just run stored its inventory: every account of the sized organization is like it.
  const org = await seedOrganization(control, endpoint, { ...options, accounts: 1 }, now);
  const [account] = org.accounts;
  const sampleResult = (await handlers.handlers.orgEnforceAccount?.(
    {
      night: '2026-11-30',
      dryRun: false,
      account: { accountId: account?.accountId ?? '', name: account?.name ?? '' },
    },
    'orgEnforceAccount',
  )) as AccountRunResult;
  const inventory =
    sampleResult.keysCsvKey === undefined
      ? (sampleResult.keys ?? [])
      : await readKeyInventory(
          createS3Client(loadAwsClientSettings(process.env)),
          BUCKET,
          sampleResult.keysCsvKey,
        );
  const atScale = await sizeAtScale(options.digestAccounts, { result: sampleResult, inventory });

  return { options, dueKeysPerAccount, nights, perAccount, digest, atScale };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const kib = (bytes: number) => (bytes / 1024).toFixed(0);

/** The organization bench's results as the text the bench prints (BENCHMARKS.md quotes it). */
export function formatOrgBenchReport(
  results: OrgBenchResults,
  table: (header: string[], rows: string[][]) => string,
): string {
  const { options } = results;
  const sections: string[] = [];
  sections.push(
    `Organization: ${options.accounts} accounts x ${options.usersPerAccount} users, ${options.duePercent}% due ` +
      `(${results.dueKeysPerAccount} keys per account), the shipped state machine in the emulator`,
  );
  const [first] = results.nights;
  sections.push(
    table(
      ['concurrency', 'wall s', 'per account s', 'speed-up', 'accounts done', 'deactivated', 'AWS requests'],
      results.nights.map((night) => [
        String(night.concurrency),
        seconds(night.wallMs),
        (night.wallMs / 1000 / Math.max(1, night.accountsDone)).toFixed(2),
        first === undefined
          ? ''
          : `${(Math.max(...results.nights.map((n) => n.wallMs)) / night.wallMs).toFixed(2)}x`,
        String(night.accountsDone),
        String(night.deactivated),
        String(Object.values(night.requestsByService).reduce((a, b) => a + b, 0)),
      ]),
    ),
  );
  const { perAccount } = results;
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  sections.push(
    `One account's requests: ${total(perAccount.organization)} in the organization run, ` +
      `${total(perAccount.singleAccount)} in a single-account run (enforceKeys + enforcePasswordPolicy)` +
      (perAccount.differences.length === 0
        ? ': the same, action by action.'
        : `; they differ in:\n${table(
            ['action', 'organization', 'single account'],
            perAccount.differences.map((entry) => [
              entry.action,
              String(entry.organization),
              String(entry.singleAccount),
            ]),
          )}`),
  );
  const { digest } = results;
  sections.push(
    `Digest step (its own process, ${options.accounts} accounts): ${seconds(digest.wallMs)} s, peak RSS ` +
      `${digest.memory.peakRssMib.toFixed(0)} MiB (+${(digest.memory.peakRssMib - digest.memory.rssBeforeMib).toFixed(0)} ` +
      `over the loaded modules), peak heap ${digest.memory.peakHeapMib.toFixed(0)} MiB ` +
      `(+${(digest.memory.peakHeapMib - digest.memory.heapBeforeMib).toFixed(0)})`,
  );
  const { atScale } = results;
  sections.push(
    `At ${atScale.accounts} accounts like these: digest HTML ${kib(atScale.htmlBytes)} KiB, text ` +
      `${kib(atScale.textBytes)} KiB, ${atScale.attachment === undefined ? 'no CSV attached (too large)' : `attachment ${atScale.attachment.filename} ${kib(atScale.attachment.bytes)} KiB`}; as a raw message about ` +
      `${kib(atScale.mimeBytes)} KiB (SES v2 takes ${kib(atScale.sesLimitBytes)} KiB). Largest state: ` +
      `${kib(atScale.largestStateBytes)} KiB of the ${kib(atScale.payloadLimitBytes)} KiB Step Functions allows.`,
  );
  return `${sections.join('\n\n')}\n`;
}
