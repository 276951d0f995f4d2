/**
 * `npm run enforce`: the nightly job once, for real, against whatever account the AWS settings point at:
 * the enforceKeys and enforcePasswordPolicy handlers, as the schedule runs them. With `-- --org`, every
 * account of the organization through its member role: the same worker and digest code as the state
 * machine, the same concurrency bound (ORG_MAX_CONCURRENCY), one line per account.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../shared/kernel/index.ts';
import { formatSummaryTable, type KeyEnforcementSummary } from '../shared/key-enforcement/index.ts';
import {
  enforceAccount,
  runOrganization,
  sendOrganizationDigest,
  THROTTLE_RETRY,
} from '../shared/organization/index.ts';
import type { PasswordPolicyReport } from '../shared/password-policy/index.ts';
import { lambdaContext } from './local-invoke.ts';
import {
  callerIdentity,
  inventoryReader,
  listAccounts,
  mailerOf,
  organizationSettings,
  progressLine,
  workerFor,
  workerSettings,
} from './organization-run.ts';

const USAGE = `Usage: npm run enforce [-- --dry-run]
       npm run enforce -- --org [--accounts <id,...>] [--exclude <id,...>] [--dry-run]

  (no option)          the nightly job once, for real, in the account your AWS settings point at:
                       key enforcement, then the password policy
  --org                every account of the organization, through its member role (ORG_MEMBER_ROLE_NAME),
                       at most ORG_MAX_CONCURRENCY at once; then the organization digest
  --accounts <ids>     with --org: only these accounts (comma-separated 12-digit ids)
  --exclude <ids>      with --org: leave these accounts out too (added to ORG_EXCLUDE_ACCOUNTS)
  --dry-run            plan and report only: change nothing, record nothing, mail no owner
  --help               show this help

Settings are read from the environment as the functions read them (README, Settings); a bad one stops
the run before any account is touched. Exit status: 0 when every account finished, 1 when one failed,
2 for a bad option or setting.`;

const say = (line = '') => process.stdout.write(`${line}\n`);

interface Options {
  org?: boolean;
  accounts?: string;
  exclude?: string;
  'dry-run'?: boolean;
  help?: boolean;
}

function readOptions(): Options | string {
  try {
    const { values } = parseArgs({
      options: {
        org: { type: 'boolean' },
        accounts: { type: 'string' },
        exclude: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (!values.org && (values.accounts !== undefined || values.exclude !== undefined)) {
      return '--accounts and --exclude work with --org only';
    }
    return values;
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** One account: the two scheduled handlers, in the account the credentials belong to. */
async function enforceOneAccount(dryRun: boolean): Promise<number> {
  // The handlers read their settings when they load: a bad one stops here, before any call.
  const keys = await import('../functions/enforce-keys.ts');
  const policy = await import('../functions/enforce-password-policy.ts');
  const { loadAwsClientSettings } = await import('../shared/kernel/index.ts');
  const { accountId } = await callerIdentity(loadAwsClientSettings(process.env));
  const context = (name: string) => ({
    ...lambdaContext(name, 900_000),
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:${accountId}:function:${name}`,
  });
  const summary: KeyEnforcementSummary = await keys.handler({ dryRun }, context('enforceKeys'));
  say(formatSummaryTable(summary));
  const report: PasswordPolicyReport = await policy.handler({ dryRun }, context('enforcePasswordPolicy'));
  say('');
  say(
    `password policy: ${report.outcome}${report.changes.length > 0 ? ` (${report.changes.map((change) => change.field).join(', ')})` : ''}`,
  );
  return 0;
}

/** Every account of the organization, as the state machine runs them. */
async function enforceOrganization(options: Options): Promise<number> {
  const organization = organizationSettings(options);
  const settings = workerSettings(organization);
  const { partition } = await callerIdentity(settings.aws);
  const live = { ...settings, partition };
  const dryRun = options['dry-run'] === true || organization.dryRun;
  const now = new Date();
  const mailer = mailerOf(live);
  const worker = workerFor(live, now.toISOString().slice(0, 10), mailer);
  const { listing, results, summary } = await runOrganization(
    {
      listAccounts: async () => {
        const listing = await listAccounts(live, dryRun, now);
        say(
          `${listing.accounts.length} accounts to run, ${listing.skipped.length} skipped (${organization.maxConcurrency} at a time)`,
        );
        return listing;
      },
      enforceAccount: (request) => enforceAccount(worker, request),
      digest: ({ listing, results, guard }) =>
        sendOrganizationDigest(
          {
            mailer,
            securityTeam: settings.mail.securityTeam,
            ...inventoryReader(live),
            log: worker.log,
          },
          {
            night: listing.night,
            dryRun: listing.dryRun,
            results,
            skipped: listing.skipped,
            ...(guard ? { guard } : {}),
          },
        ),
      onAccount: (result, finished, total, phase) =>
        say(progressLine(result, finished, total, phase === 'forecast' ? 'forecast ' : '')),
    },
    {
      maxConcurrency: organization.maxConcurrency,
      maxActions: organization.maxActions,
      retry: THROTTLE_RETRY,
    },
  );
  for (const skipped of listing.skipped)
    say(`skipped ${skipped.accountId} (${skipped.name}): ${skipped.reason}`);
  const { totals } = summary;
  say('');
  say(
    `${totals.accounts} accounts: ${totals.done} finished, ${totals.failedAccounts} failed, ${totals.skipped} skipped; ${totals.deactivated} deactivated, ${totals.deleted} deleted, ${totals.warned} warned${summary.guard?.tripped ? `; ORGANIZATION GUARD TRIPPED (${summary.guard.planned} planned, limit ${summary.guard.limit}): no account acted` : ''}`,
  );
  say(
    `organization digest: ${summary.mail.status === 'sent' ? 'sent' : `${summary.mail.status} (${'reason' in summary.mail ? summary.mail.reason : summary.mail.status === 'failed' ? summary.mail.error : ''})`}`,
  );
  return results.some((result) => result.status === 'failed') ? 1 : 0;
}

async function main(): Promise<number> {
  const options = readOptions();
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    say(USAGE);
    return 0;
  }
  try {
    return options.org
      ? await enforceOrganization(options)
      : await enforceOneAccount(options['dry-run'] === true);
  } catch (error: unknown) {
    if (error instanceof ConfigError || (error instanceof Error && error.name === 'ConfigError')) {
      process.stderr.write(`${error.message}\nNothing was touched.\n`);
      return 2;
    }
    throw error;
  }
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// The SDK warns that its 2027 releases need Node 22; this tool pins today's release.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`enforce failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
