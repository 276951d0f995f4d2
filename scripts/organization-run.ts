/**
 * The organization run by hand, shared by `npm run enforce -- --org`, `npm run plan -- --org` and
 * `npm start -- --org`: settings and options checked before anything is touched, the worker wired as the
 * orgEnforceAccount handler wires it, one progress line per account.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  type AwsClientSettings,
  createEventBridgeClient,
  createOrganizationsClient,
  createS3Client,
  createSesClient,
  createStsClient,
  isoDay,
  loadAwsClientSettings,
  logger,
} from '../shared/kernel/index.ts';
import { loadKeyEnforcementConfig } from '../shared/key-enforcement/index.ts';
import { loadMailConfig, type Mailer, mailerFor } from '../shared/mail/index.ts';
import {
  type AccountListing,
  type AccountRunResult,
  type AccountWorkerSettings,
  accountTitle,
  accountWorker,
  checkAccountIds,
  listOrganizationAccounts,
  listTargetAccounts,
  loadOrganizationConfig,
  type OrganizationConfig,
  readKeyInventory,
  storeKeyInventory,
} from '../shared/organization/index.ts';
import { loadPasswordPolicyConfig } from '../shared/password-policy/index.ts';

/** `--accounts` and `--exclude`, as given on the command line. */
export interface AccountOptions {
  accounts?: string;
  exclude?: string;
}

const ids = (list: string) =>
  list
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);

/**
 * The organization settings with the command line's account options over them: `--accounts` runs those
 * accounts only (the include settings give way), `--exclude` adds to ORG_EXCLUDE_ACCOUNTS.
 * @throws {ConfigError} naming the setting or the option that is wrong.
 */
export function organizationSettings(options: AccountOptions): OrganizationConfig {
  const config = loadOrganizationConfig(process.env);
  return {
    ...config,
    ...(options.accounts === undefined
      ? {}
      : { includeAccounts: checkAccountIds('--accounts', ids(options.accounts)), includeOus: [] }),
    ...(options.exclude === undefined
      ? {}
      : {
          excludeAccounts: [...config.excludeAccounts, ...checkAccountIds('--exclude', ids(options.exclude))],
        }),
  };
}

/** Every setting the worker reads, checked before any account is listed or touched. */
export function workerSettings(organization: OrganizationConfig, partition = 'aws'): AccountWorkerSettings {
  return {
    keys: loadKeyEnforcementConfig(process.env),
    passwordPolicy: loadPasswordPolicyConfig(process.env),
    mail: loadMailConfig(process.env),
    organization,
    aws: loadAwsClientSettings(process.env),
    partition,
  };
}

/** The caller's account and partition, from STS (the credentials the run will use). */
export async function callerIdentity(
  aws: AwsClientSettings,
): Promise<{ accountId: string; partition: string }> {
  const identity = await createStsClient(aws).send(new GetCallerIdentityCommand({}));
  // arn:<partition>:sts::<account>:...
  return { accountId: identity.Account ?? '', partition: identity.Arn?.split(':')[1] ?? 'aws' };
}

/** Lists tonight's accounts as the orgListAccounts handler does. */
export function listAccounts(
  settings: AccountWorkerSettings,
  dryRun: boolean,
  now: Date,
): Promise<AccountListing> {
  const organizations = createOrganizationsClient(settings.aws);
  return listTargetAccounts((ous) => listOrganizationAccounts(organizations, ous), settings.organization, {
    night: isoDay(now),
    dryRun,
  });
}

/** The service's mailer (SES from the account the credentials belong to), as the handlers build it. */
export function mailerOf(settings: AccountWorkerSettings): Mailer {
  return mailerFor(settings.mail, createSesClient(settings.aws), (path) =>
    logger.info('Mail copy written', { path }),
  );
}

/** The worker, wired as the orgEnforceAccount handler wires it. */
export function workerFor(settings: AccountWorkerSettings, night: string, mailer: Mailer) {
  const { aws, organization } = settings;
  const s3 = organization.resultsBucket === undefined ? undefined : createS3Client(aws);
  const bucket = organization.resultsBucket;
  return accountWorker(
    settings,
    {
      sts: createStsClient(aws),
      eventBridge: createEventBridgeClient(aws),
      mailer,
    },
    {
      night,
      reportBudgetMs: 120_000,
      ...(s3 === undefined || bucket === undefined
        ? {}
        : {
            storeInventory: (accountId: string, records: string[][]) =>
              storeKeyInventory(s3, bucket, { night, accountId }, records),
          }),
      log: logger,
    },
  );
}

/** Reads stored inventories back for the digest, when a results bucket is set. */
export function inventoryReader(settings: AccountWorkerSettings) {
  const bucket = settings.organization.resultsBucket;
  if (bucket === undefined) return {};
  const s3 = createS3Client(settings.aws);
  return { readInventory: (key: string) => readKeyInventory(s3, bucket, key) };
}

/** `[ 2/12] 111111111111 (payments-prod)  done    deactivated 1, deleted 0, warned 2`. */
export function progressLine(result: AccountRunResult, finished: number, total: number, phase = ''): string {
  const width = String(total).length;
  const counter = `[${String(finished).padStart(width)}/${total}]`;
  const what =
    result.status === 'failed'
      ? `failed  ${result.failure?.kind ?? 'error'}: ${result.failure?.message ?? ''}`
      : `${result.dryRun ? 'dry run' : 'done   '} deactivated ${result.counts.deactivated}, deleted ${result.counts.deleted}, warned ${result.counts.warned}, planned ${result.counts.planned}${result.guardTripped ? ', GUARD TRIPPED' : ''}, password policy ${result.passwordPolicyOutcome ?? '-'}`;
  return `${counter} ${phase}${accountTitle(result).padEnd(40)} ${what}`;
}
