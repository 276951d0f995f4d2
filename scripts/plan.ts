/**
 * `npm run plan [-- --at 2026-12-24]`: a dry-run forecast against whatever account the AWS settings point
 * at (a real account, or the emulator through AWS_ENDPOINT_URL). Prints what the nightly runs would do to
 * which key and console password and why; changes nothing, records nothing and publishes no audit event.
 */
import { parseArgs } from 'node:util';
import {
  consoleAccessDependencies,
  consoleAccessOptions,
  formatConsoleAccessTable,
  loadConsoleAccessConfig,
  runConsoleAccess,
} from '../shared/console-access/index.ts';
import { createIamClient, loadAwsClientSettings, parseIsoInstant } from '../shared/kernel/index.ts';
import {
  formatSummaryTable,
  keyEnforcementDependencies,
  keyEnforcementOptions,
  loadKeyEnforcementConfig,
  runKeyEnforcement,
} from '../shared/key-enforcement/index.ts';
import { disabledMailer, loadMailConfig } from '../shared/mail/index.ts';
import { accountTitle, classifyFailure, mapWithConcurrency } from '../shared/organization/index.ts';
import {
  type AccountOptions,
  callerIdentity,
  listAccounts,
  organizationSettings,
  workerFor,
  workerSettings,
} from './organization-run.ts';

const USAGE = `Usage: npm run plan [-- --at <date>]
       npm run plan -- --org [--accounts <id,...>] [--exclude <id,...>] [--at <date>]

  --at <date>        forecast as of this ISO date or timestamp (e.g. 2026-12-24, 2026-12-24T03:00:00Z);
                     default: now. A date alone means 03:00 UTC that day, when the nightly run fires.
  --org              forecast every account of the organization, through its member role
                     (ORG_MEMBER_ROLE_NAME), at most ORG_MAX_CONCURRENCY at once
  --accounts <ids>   with --org: only these accounts (comma-separated 12-digit ids)
  --exclude <ids>    with --org: leave these accounts out too
  --help             show this help

The account is the one your AWS settings point at (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...).
The policy settings (KEY_MAX_AGE_DAYS, PASSWORD_UNUSED_DAYS, ...) are read from the environment as the
functions read them.`;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The forecast instant from `--at`, or an error message naming the option. */
function forecastInstant(at: string | undefined): Date | string | undefined {
  if (at === undefined) return undefined;
  const instant = parseIsoInstant(DATE_ONLY.test(at) ? `${at}T03:00:00Z` : at);
  if (instant === undefined) {
    return `--at must be an ISO date or timestamp with a time zone, such as 2026-12-24 or 2026-12-24T03:00:00Z (got ${JSON.stringify(at)})`;
  }
  return instant;
}

async function main(): Promise<number> {
  let args: { at?: string; help?: boolean; org?: boolean; accounts?: string; exclude?: string };
  try {
    args = parseArgs({
      options: {
        at: { type: 'string' },
        help: { type: 'boolean' },
        org: { type: 'boolean' },
        accounts: { type: 'string' },
        exclude: { type: 'string' },
      },
    }).values;
    if (!args.org && (args.accounts !== undefined || args.exclude !== undefined)) {
      throw new Error('--accounts and --exclude work with --org only');
    }
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const at = forecastInstant(args.at);
  if (typeof at === 'string') {
    process.stderr.write(`${at}\n`);
    return 2;
  }
  if (args.org) return planOrganization(args, at);
  // A forecast is a dry run: KEY_HYGIENE_NOW is accepted here whatever DRY_RUN says.
  const forecastEnvironment = { ...process.env, DRY_RUN: 'true' };
  const config = loadKeyEnforcementConfig(forecastEnvironment);
  const consoleConfig = loadConsoleAccessConfig(forecastEnvironment);
  // No EventBridge client: a forecast publishes no audit event; and it mails nobody.
  const clients = {
    iam: createIamClient(loadAwsClientSettings(process.env)),
    mailer: disabledMailer('a forecast mails nobody'),
  };
  const mail = loadMailConfig(process.env);
  const wiring = {
    timeLeftMs: 180_000,
    mail,
    onReportWait: (reason: string) =>
      process.stderr.write(`waiting for the credential report (${reason})...\n`),
  };
  const summary = await runKeyEnforcement(
    keyEnforcementDependencies(config, clients, wiring),
    keyEnforcementOptions(config, { dryRun: true, now: at }),
  );
  process.stdout.write(`${formatSummaryTable(summary)}\n\n`);
  // The second run reads the same report: IAM returns the cached one when it is under 4 hours old.
  const consoleSummary = await runConsoleAccess(
    consoleAccessDependencies(consoleConfig, clients, wiring),
    consoleAccessOptions(consoleConfig, { dryRun: true, now: at }),
  );
  process.stdout.write(`${formatConsoleAccessTable(consoleSummary)}\n`);
  return 0;
}

/** Every account's forecast, each with its own table: the worker's key job as a dry run that mails nobody. */
async function planOrganization(options: AccountOptions, at: Date | undefined): Promise<number> {
  let settings: ReturnType<typeof workerSettings>;
  try {
    settings = workerSettings(organizationSettings(options));
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nNothing was touched.\n`);
    return 2;
  }
  const { partition } = await callerIdentity(settings.aws);
  const now = at ?? settings.keys.now ?? new Date();
  const live = { ...settings, partition, keys: { ...settings.keys, now } };
  const listing = await listAccounts(live, true, now);
  const worker = workerFor(live, listing.night, disabledMailer('a forecast mails nobody'));
  const forecasts = await mapWithConcurrency(
    listing.accounts,
    live.organization.maxConcurrency,
    async (account) => {
      try {
        const jobs = worker.jobsIn(await worker.assumeRole(account.accountId), account.accountId);
        const name = await jobs.nameAccount();
        const summary = await jobs.enforceKeys(
          { dryRun: true, forecast: true, account: name },
          () => undefined,
        );
        return { title: accountTitle({ ...account, ...name }), table: formatSummaryTable(summary) };
      } catch (error: unknown) {
        const failure = classifyFailure(error);
        return { title: accountTitle(account), table: `failed: ${failure.kind}: ${failure.message}` };
      }
    },
  );
  for (const forecast of forecasts) process.stdout.write(`\n== ${forecast.title}\n${forecast.table}\n`);
  for (const skipped of listing.skipped) {
    process.stdout.write(`\nskipped ${skipped.accountId} (${skipped.name}): ${skipped.reason}\n`);
  }
  return 0;
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// The SDK warns that its 2027 releases need Node 22; this tool pins today's release.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`plan failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
