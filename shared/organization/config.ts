import { z } from 'zod';
import {
  ConfigError,
  commaList,
  type Environment,
  flag,
  parseEnvironment,
  unsetWhenEmpty,
  wholeNumber,
} from '../kernel/index.ts';

export interface OrganizationConfig {
  /** The role every member account holds for this service (the StackSet's template creates it). */
  memberRoleName: string;
  /** Run only on accounts under these OUs (nested OUs included) or in `includeAccounts`; empty: all. */
  includeOus: string[];
  includeAccounts: string[];
  /** Never run on these accounts, whatever the includes say. */
  excludeAccounts: string[];
  /** Accounts run at once. */
  maxConcurrency: number;
  /** More deactivations + deletions than this planned across the organization: no account acts. */
  maxActions: number | undefined;
  /** Where per-account key inventories and results go; absent: they travel inline. */
  resultsBucket: string | undefined;
  /** DRY_RUN: every account plans and reports only; an event can ask for a dry run, never turn it off. */
  dryRun: boolean;
}

export const ORGANIZATION_DEFAULTS = {
  memberRoleName: 'key-hygiene-member',
  maxConcurrency: 10,
} as const;

/** A 12-digit account id, as AWS writes it. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An organizational unit id: `ou-` + the root's 4-32 characters + `-` + 8-32 characters. */
export const OU_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;
/** A role name IAM accepts: letters, digits and `+ = , . @ _ -`, 1 to 64 characters. */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** An S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const idList = (pattern: RegExp, what: string) =>
  z.preprocess(
    commaList,
    z.array(z.string().regex(pattern, { message: `every item must be ${what}` })).optional(),
  );

const organizationEnvironment = z.object({
  ORG_MEMBER_ROLE_NAME: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(IAM_ROLE_NAME, 'must be an IAM role name: 1-64 letters, digits and + = , . @ _ -')
      .optional(),
  ),
  ORG_INCLUDE_OUS: idList(OU_ID, 'an organizational unit id such as ou-ab12-cd34ef56'),
  ORG_INCLUDE_ACCOUNTS: idList(ACCOUNT_ID, 'a 12-digit account id'),
  ORG_EXCLUDE_ACCOUNTS: idList(ACCOUNT_ID, 'a 12-digit account id'),
  ORG_MAX_CONCURRENCY: wholeNumber(1, 1000),
  ORG_MAX_ACTIONS: wholeNumber(0, 1_000_000),
  DRY_RUN: flag,
  ORG_RESULTS_BUCKET: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(BUCKET_NAME, 'must be an S3 bucket name (3-63 lowercase letters, digits, . and -)')
      .optional(),
  ),
});

/**
 * Reads the organization settings from the environment. Called before any account is listed or touched.
 * @throws {ConfigError} naming every variable that is malformed or out of range.
 */
export function loadOrganizationConfig(environment: Environment): OrganizationConfig {
  const settings = parseEnvironment(organizationEnvironment, environment);
  return {
    memberRoleName: settings.ORG_MEMBER_ROLE_NAME ?? ORGANIZATION_DEFAULTS.memberRoleName,
    includeOus: settings.ORG_INCLUDE_OUS ?? [],
    includeAccounts: settings.ORG_INCLUDE_ACCOUNTS ?? [],
    excludeAccounts: settings.ORG_EXCLUDE_ACCOUNTS ?? [],
    maxConcurrency: settings.ORG_MAX_CONCURRENCY ?? ORGANIZATION_DEFAULTS.maxConcurrency,
    maxActions: settings.ORG_MAX_ACTIONS,
    resultsBucket: settings.ORG_RESULTS_BUCKET,
    dryRun: settings.DRY_RUN === 'true',
  };
}

/**
 * Checks account ids given by hand (the `--accounts` and `--exclude` options), as the settings are checked.
 * @throws {ConfigError} naming the option and the bad id.
 */
export function checkAccountIds(option: string, ids: string[]): string[] {
  const bad = ids.filter((id) => !ACCOUNT_ID.test(id));
  if (bad.length > 0) {
    throw new ConfigError(
      `${option}: every item must be a 12-digit account id (got ${bad.map((id) => JSON.stringify(id)).join(', ')})`,
    );
  }
  return ids;
}
