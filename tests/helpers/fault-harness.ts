import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { IAMClient } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { type DemoAccount, seedDemoAccount } from '../../scripts/demo-account.ts';
import { type Emulator, emulatorEnvironment, startEmulator } from '../../scripts/emulator/index.ts';
import type { KeyEnforcementSummary } from '../../shared/key-enforcement/types.ts';
import { iamClient } from './emulator.ts';
import {
  type Exchange,
  type FaultProxy,
  type FaultRules,
  type ProxiedRequest,
  startFaultProxy,
} from './fault-proxy.ts';
import { loadEnforceKeysHandler } from './lambda.ts';
import {
  type AccountMeaning,
  accountMeaning,
  type DeliveredNotice,
  deliveredNotices,
  KeyLabels,
  lostSesAnswers,
  type Mutation,
  mutationsOf,
  mutationsOutsidePlan,
  noticeSet,
  repeatedNotices,
  stateDifferences,
  summaryClaimsNotBorneOut,
  type Verdict,
} from './run-invariants.ts';

/**
 * The clock the demo account of every faulted run and of its fault-free baseline is seeded at. The runs
 * decide by the real clock (KEY_HYGIENE_NOW steers dry runs only), seconds or minutes later: no seeded key
 * sits within minutes of a deadline, so the decisions are the same.
 */
export const FAULT_NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
export const SENDER = 'key-hygiene@example.com';
export const SECURITY_TEAM = ['security-team@example.com'];
const MAIL_SETTINGS = {
  SENDER_EMAIL: SENDER,
  SECURITY_TEAM_EMAILS: SECURITY_TEAM.join(','),
  EMAIL_DOMAIN: 'example.com',
};

/**
 * The seeds a scenario runs with: FAULT_SEED=<n> replays one; otherwise seeds 1..FAULT_SEEDS (1 in
 * `npm test`, 10 under `npm run test:faults`), half as many for a `costly` scenario (one whose runs
 * take a minute of real SDK backoff).
 */
export function faultSeeds(options: { costly?: boolean } = {}): number[] {
  const one = process.env.FAULT_SEED;
  if (one !== undefined && one !== '') return [Number(one)];
  const requested = Math.max(1, Number(process.env.FAULT_SEEDS ?? '1') || 1);
  const count = options.costly ? Math.ceil(requested / 2) : requested;
  return Array.from({ length: count }, (_, index) => index + 1);
}

/** How many seeds the suite runs with (FAULT_SEEDS), also when FAULT_SEED replays one of them. */
export function seedCount(): number {
  return Math.max(1, Number(process.env.FAULT_SEEDS ?? '1') || 1);
}

/** True under `npm run test:faults`, where scenarios also sweep exhaustively (every kill point). */
export function exhaustive(): boolean {
  return Number(process.env.FAULT_SEEDS ?? '1') > 1;
}

export interface SeededAccount {
  demo: DemoAccount;
  labels: KeyLabels;
}

export interface RunRecord {
  summary?: KeyEnforcementSummary;
  /** What the handler threw, when it threw. */
  error?: Error;
  /** The AWS requests of this run, with what the proxy did to each. */
  exchanges: Exchange[];
  ms: number;
}

export interface Baseline {
  account: AccountMeaning;
  mutations: Mutation[];
  notices: DeliveredNotice[];
  summary: KeyEnforcementSummary;
  requests: number;
}

export interface ProcessRun extends RunRecord {
  /** The process was killed (else it ran to its end). */
  killed: boolean;
}

export interface RunningProcess {
  /** Resolves when the process has ended, with its summary unless it was killed. */
  ended: Promise<ProcessRun>;
  /** SIGKILLs the process, as a Lambda timeout ends a sandbox. */
  kill(): Promise<ProcessRun>;
}

/**
 * An emulator of its own and a fault-injecting proxy in front of it for one test file, a demo account seeded at
 * FAULT_NOW, the real handler run through the proxy (in this process or in a child process), and the
 * fault-free baseline every faulted run is compared with.
 */
export function useFaultHarness() {
  let emulator: Emulator | undefined;
  let proxy: FaultProxy | undefined;
  let iam: IAMClient | undefined;
  let baseline: Baseline | undefined;

  const theEmulator = (): Emulator => {
    if (emulator === undefined) throw new Error('the emulator starts in beforeAll');
    return emulator;
  };
  const theProxy = (): FaultProxy => {
    if (proxy === undefined) throw new Error('the fault proxy starts in beforeAll');
    return proxy;
  };
  const theIam = (): IAMClient => {
    iam ??= iamClient(theEmulator().endpoint);
    return iam;
  };
  const stubAwsEnvironment = () => {
    vi.unstubAllEnvs();
    for (const [name, value] of Object.entries(emulatorEnvironment(theEmulator().endpoint)))
      vi.stubEnv(name, value);
  };
  const settings = (extra: Record<string, string>) => ({
    ...MAIL_SETTINGS,
    AWS_ENDPOINT_URL: theProxy().endpoint,
    ...extra,
  });

  // An emulator per test file, so fault files run in parallel without resetting each other's account.
  beforeAll(async () => {
    emulator = await startEmulator({ log: () => undefined });
    proxy = await startFaultProxy(emulator.endpoint);
  });
  afterAll(async () => {
    await proxy?.close();
    await emulator?.stop();
  });
  beforeEach(() => {
    stubAwsEnvironment();
    theProxy().setRules({});
    theProxy().clearLog();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const harness = {
    get endpoint(): string {
      return theEmulator().endpoint;
    },
    get control() {
      return theEmulator().control;
    },
    get iam(): IAMClient {
      return theIam();
    },
    get proxy(): FaultProxy {
      return theProxy();
    },

    /** Resets the emulator, seeds the demo account at FAULT_NOW and verifies the sender with SES. */
    async freshAccount(): Promise<SeededAccount> {
      await harness.control.reset();
      const demo = await seedDemoAccount(theIam(), harness.control, FAULT_NOW);
      const ses = new SESv2Client({
        endpoint: harness.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: SENDER }));
      return { demo, labels: new KeyLabels(demo) };
    },

    /** Runs the real handler in this process through the proxy, with `rules`; never throws. */
    async run(rules: FaultRules = {}, extra: Record<string, string> = {}): Promise<RunRecord> {
      stubAwsEnvironment();
      const from = theProxy().exchanges.length;
      theProxy().setRules(rules);
      const started = Date.now();
      const record: RunRecord = { exchanges: [], ms: 0 };
      try {
        const handler = await loadEnforceKeysHandler(settings(extra));
        record.summary = await handler({});
      } catch (error: unknown) {
        record.error = error instanceof Error ? error : new Error(String(error));
      } finally {
        theProxy().setRules({});
      }
      record.ms = Date.now() - started;
      record.exchanges = theProxy().exchanges.slice(from);
      return record;
    },

    /**
     * Starts the handler in a child process through the proxy, as a Lambda sandbox of its own, with the
     * current rules. `app` is sent as the SDK's app id, so the proxy can tell concurrent runs apart.
     */
    startProcess(extra: Record<string, string> = {}, app?: string): RunningProcess {
      const from = theProxy().exchanges.length;
      const started = Date.now();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./enforce-keys-process.ts', import.meta.url))],
        {
          env: {
            ...process.env,
            ...settings(extra),
            ...(app === undefined ? {} : { AWS_SDK_UA_APP_ID: app }),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      let killed = false;
      const ended = new Promise<ProcessRun>((resolve) =>
        child.once('close', () => {
          const record: ProcessRun = {
            killed,
            exchanges: theProxy()
              .exchanges.slice(from)
              .filter((exchange) => app === undefined || exchange.request.app === app),
            ms: Date.now() - started,
          };
          if (!killed) {
            const line = stdout.trim().split('\n').at(-1) ?? '';
            try {
              record.summary = JSON.parse(line) as KeyEnforcementSummary;
            } catch {
              record.error = new Error(`the handler process ended without a summary: ${stderr.slice(-2000)}`);
            }
          }
          resolve(record);
        }),
      );
      return {
        ended,
        kill: async () => {
          killed = true;
          child.kill('SIGKILL');
          return ended;
        },
      };
    },

    /**
     * Runs the handler in a child process through the proxy and SIGKILLs it when a request matches
     * `killAt` (given the request and its 1-based number among this run's requests): that request hangs
     * `before` reaching the emulator, or `after` the emulator acted on it (its answer lost), and the process
     * dies as a Lambda does at its timeout.
     */
    async runKilled(
      killAt: (request: ProxiedRequest, nth: number) => boolean,
      when: 'before' | 'after',
      extra: Record<string, string> = {},
    ): Promise<ProcessRun> {
      let killPoint: () => void = () => undefined;
      const reached = new Promise<'kill'>((resolve) => {
        killPoint = () => resolve('kill');
      });
      let killedAt: number | undefined;
      let seen = 0;
      theProxy().setRules({
        fault: (request) => {
          seen += 1;
          if (killedAt !== undefined || !killAt(request, seen)) return undefined;
          killedAt = request.index;
          // `before`: the request never reaches the emulator, so the hang itself is the kill point.
          if (when === 'before') killPoint();
          return { kind: 'hang', when };
        },
        afterEmulator: (request) => {
          if (request.index === killedAt) killPoint();
        },
      });
      const running = harness.startProcess(extra);
      const first = await Promise.race([running.ended, reached]);
      const record = first === 'kill' ? await running.kill() : first;
      theProxy().setRules({});
      return record;
    },

    /** The account, by meaning, as it is now. */
    meaning(account: SeededAccount): Promise<AccountMeaning> {
      return accountMeaning(theIam(), account.demo, account.labels);
    },

    /** The owner notices the emulated SES has accepted since the last reset. */
    async notices(account: SeededAccount): Promise<DeliveredNotice[]> {
      return deliveredNotices(await harness.control.sentEmails(), account.labels, SECURITY_TEAM);
    },

    /**
     * What a run's summary claims that the account and the emulator do not bear out; call it right after
     * the run, before another one changes the account.
     */
    async claimsNotBorneOut(account: SeededAccount, run: RunRecord): Promise<string[]> {
      if (run.summary === undefined) return [];
      return summaryClaimsNotBorneOut({
        summary: run.summary,
        account: await harness.meaning(account),
        labels: account.labels,
        mails: await harness.control.sentEmails(),
        securityTeam: SECURITY_TEAM,
        exchanges: run.exchanges,
      });
    },

    /**
     * Checks the invariants after a faulted run and its reruns: the account ends as `expected.state`
     * (default: the fault-free run's end state); no change outside the fault-free plan; no notice mailed
     * twice, but for copies a lost SES answer explains (and `allowedRepeats`, per address, that the test
     * states); with `allNotices`, every notice of the fault-free run delivered. `claims` are what
     * `claimsNotBorneOut` found after each run.
     */
    async verdict(
      account: SeededAccount,
      runs: RunRecord[],
      expected: {
        state?: AccountMeaning;
        allNotices?: boolean;
        claims?: string[];
        allowedRepeats?: ReadonlyMap<string, number>;
      } = {},
    ): Promise<Verdict> {
      const base = await harness.baseline();
      const notices = await harness.notices(account);
      const delivered = new Set(noticeSet(notices));
      const allowance = lostSesAnswers(runs.flatMap((run) => run.exchanges));
      for (const [address, extra] of expected.allowedRepeats ?? []) {
        allowance.set(address, (allowance.get(address) ?? 0) + extra);
      }
      return {
        stateDifferences: stateDifferences(await harness.meaning(account), expected.state ?? base.account),
        outsidePlan: mutationsOutsidePlan(
          runs.flatMap((run) => mutationsOf(run.exchanges, account.labels)),
          base.mutations,
        ),
        repeatedNotices: repeatedNotices(notices, allowance),
        missingNotices: expected.allNotices
          ? noticeSet(base.notices).filter((notice) => !delivered.has(notice))
          : [],
        claimsNotBorneOut: expected.claims ?? [],
      };
    },

    /**
     * The fault-free run on a freshly seeded account, through the proxy: what every faulted run must end
     * at. Computed once per file; it leaves the emulator with its account, so seed afresh afterwards.
     */
    async baseline(): Promise<Baseline> {
      if (baseline !== undefined) return baseline;
      const account = await harness.freshAccount();
      const run = await harness.run();
      if (run.summary === undefined) throw new Error(`the fault-free run failed: ${run.error?.message}`);
      const fresh: Baseline = {
        account: await harness.meaning(account),
        mutations: mutationsOf(run.exchanges, account.labels),
        notices: await harness.notices(account),
        summary: run.summary,
        requests: run.exchanges.length,
      };
      // The checks compare against this run: a baseline that did nothing would make them all pass.
      if (fresh.summary.outcomes.done === 0 || fresh.notices.length === 0 || fresh.mutations.length === 0) {
        throw new Error(`the fault-free run acted on nothing: ${JSON.stringify(fresh.summary.outcomes)}`);
      }
      baseline = fresh;
      return baseline;
    },
  };
  return harness;
}

export type FaultHarness = ReturnType<typeof useFaultHarness>;
