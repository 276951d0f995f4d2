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

const USAGE = `Usage: npm run plan [-- --at <date>]

  --at <date>   forecast as of this ISO date or timestamp (e.g. 2026-12-24, 2026-12-24T03:00:00Z);
                default: now. A date alone means 03:00 UTC that day, when the nightly run fires.
  --help        show this help

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
  let args: { at?: string; help?: boolean };
  try {
    args = parseArgs({ options: { at: { type: 'string' }, help: { type: 'boolean' } } }).values;
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
