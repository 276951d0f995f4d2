// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript.
/**
 * An emulated AWS Organization for the demo (`npm start -- --org`), `npm run plan/enforce -- --org` against
 * the emulator, and the integration tests: the caller's account is the management (and security) account;
 * member accounts are created through Organizations, each gets the member role of
 * deploy/member-role.cfn.json (its own policy document, through the IAM API) unless asked not to, an alias
 * if one is given, and users seeded directly on its IAM backend.
 */
import { readFileSync } from 'node:fs';
import {
  CreateAccountAliasCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { addDays } from '../shared/kernel/index.ts';
import { noticeTag } from '../shared/key-enforcement/index.ts';
import type { EmulatorControl, SeededUser, SeedUserInput } from './emulator/index.ts';

const TEMPLATE_PATH = new URL('../deploy/member-role.cfn.json', import.meta.url);
/** The role Organizations creates in every account it creates, trusting the management account. */
const ACCOUNT_ACCESS_ROLE = 'OrganizationAccountAccessRole';

export interface MemberAccountSpec {
  name: string;
  alias?: string;
  /** false: the StackSet has not reached this account (its run fails as `role-missing`). */
  memberRole?: boolean;
  users?: MemberUserInput[];
}

type SeedKeyInput = NonNullable<SeedUserInput['keys']>[number];

/** A user to seed, whose keys may carry the notice record earlier nights left (`warning-1`, ...). */
export interface MemberUserInput extends Omit<SeedUserInput, 'keys'> {
  keys?: (SeedKeyInput & { warned?: string })[];
}

const KEY_MAX_AGE_DAYS = 90;

/**
 * A user with one active key `ageDays` old and an email tag. The accounts are ones the service has been
 * looking after: a key past 90 days had its owner warned before its deadline (the last warning's record),
 * so tonight deactivates it; one never warned would get a first notice instead (KEY_FIRST_NOTICE_DAYS).
 */
export function userWithKey(userName: string, ageDays: number, now = new Date()): MemberUserInput {
  return {
    userName,
    tags: { email: `${userName}@example.com` },
    keys: [
      {
        createDate: addDays(now, -ageDays),
        ...(ageDays > KEY_MAX_AGE_DAYS ? { warned: 'warning-1' } : {}),
      },
    ],
  };
}

/**
 * Seeds users on an account's IAM backend, then writes the notice records of their warned keys through
 * `iam` (a client of that account: moto gives key ids only once the keys exist).
 */
export async function seedMemberUsers(
  control: EmulatorControl,
  iam: IAMClient,
  users: MemberUserInput[],
  accountId?: string,
): Promise<SeededUser[]> {
  if (users.length === 0) return [];
  const seeded = await control.seedUsers(
    users.map(({ keys, ...user }) => ({
      ...user,
      ...(keys === undefined ? {} : { keys: keys.map(({ warned: _warned, ...key }) => key) }),
    })),
    accountId === undefined ? {} : { accountId },
  );
  for (const [index, user] of users.entries()) {
    const tags = (user.keys ?? []).flatMap((key, keyIndex) => {
      const accessKeyId = seeded[index]?.accessKeyIds[keyIndex];
      return key.warned === undefined || accessKeyId === undefined
        ? []
        : [{ Key: noticeTag(accessKeyId), Value: key.warned }];
    });
    if (tags.length > 0) await iam.send(new TagUserCommand({ UserName: user.userName, Tags: tags }));
  }
  return seeded;
}

export interface EmulatedAccount {
  accountId: string;
  name: string;
  alias?: string;
  memberRole: boolean;
  users: SeededUser[];
}

export interface EmulatedOrganization {
  organizationId: string;
  /** The management account, where the service runs (the security account). */
  securityAccountId: string;
  accounts: EmulatedAccount[];
}

export interface EmulatedOrganizationOptions {
  /** Clients' connection settings: the emulator's endpoint, region and the caller's credentials. */
  client: {
    endpoint?: string;
    region: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  memberRoleName: string;
  /** The worker role the member role trusts. */
  workerRoleArn: string;
}

interface MemberRoleTemplate {
  Resources: {
    MemberRole: {
      Properties: {
        Policies: { PolicyName: string; PolicyDocument: unknown }[];
      };
    };
  };
}

/** The member role's policy documents, as CloudFormation would resolve them in `accountId`. */
function memberRolePolicies(accountId: string): { name: string; document: string }[] {
  const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as MemberRoleTemplate;
  return template.Resources.MemberRole.Properties.Policies.map((policy) => ({
    name: policy.PolicyName,
    document: JSON.stringify(policy.PolicyDocument, (_key, value: unknown) => {
      if (typeof value === 'object' && value !== null && 'Fn::Sub' in value) {
        return String((value as Record<string, unknown>)['Fn::Sub'])
          .replaceAll('${AWS::Partition}', 'aws')
          .replaceAll('${AWS::AccountId}', accountId);
      }
      return value;
    }),
  }));
}

/** Creates an organization of the given member accounts in the emulator. */
export async function createEmulatedOrganization(
  control: EmulatorControl,
  specs: MemberAccountSpec[],
  options: EmulatedOrganizationOptions,
): Promise<EmulatedOrganization> {
  const organizations = new OrganizationsClient(options.client);
  const sts = new STSClient(options.client);
  const created = await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const organizationId = created.Organization?.Id ?? '';
  const securityAccountId = created.Organization?.MasterAccountId ?? '';
  const accounts: EmulatedAccount[] = [];
  for (const spec of specs) {
    const status = await organizations.send(
      new CreateAccountCommand({ AccountName: spec.name, Email: `${spec.name}@example.com` }),
    );
    const accountId = status.CreateAccountStatus?.AccountId;
    if (accountId === undefined) throw new Error(`the emulator created no account for ${spec.name}`);
    const access = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${ACCOUNT_ACCESS_ROLE}`,
        RoleSessionName: 'key-hygiene-setup',
      }),
    );
    const iam = new IAMClient({
      ...options.client,
      credentials: {
        accessKeyId: access.Credentials?.AccessKeyId ?? '',
        secretAccessKey: access.Credentials?.SecretAccessKey ?? '',
        sessionToken: access.Credentials?.SessionToken ?? '',
      },
    });
    const memberRole = spec.memberRole ?? true;
    if (memberRole) await createMemberRole(iam, accountId, organizationId, options);
    if (spec.alias !== undefined) await iam.send(new CreateAccountAliasCommand({ AccountAlias: spec.alias }));
    const users = await seedMemberUsers(control, iam, spec.users ?? [], accountId);
    accounts.push({
      accountId,
      name: spec.name,
      ...(spec.alias === undefined ? {} : { alias: spec.alias }),
      memberRole,
      users,
    });
  }
  return { organizationId, securityAccountId, accounts };
}

async function createMemberRole(
  iam: IAMClient,
  accountId: string,
  organizationId: string,
  options: EmulatedOrganizationOptions,
): Promise<void> {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: options.workerRoleArn },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      },
    ],
  };
  await iam.send(
    new CreateRoleCommand({
      RoleName: options.memberRoleName,
      AssumeRolePolicyDocument: JSON.stringify(trust),
    }),
  );
  for (const policy of memberRolePolicies(accountId)) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: options.memberRoleName,
        PolicyName: policy.name,
        PolicyDocument: policy.document,
      }),
    );
  }
}
