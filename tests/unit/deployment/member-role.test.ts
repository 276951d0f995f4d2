// The member role (deploy/member-role.cfn.json, deployed to every account by a StackSet) against the code:
// the IAM actions the organization worker's bundle declares are exactly the member role's, the worker's own
// role needs none of them, and the per-account work is the single-account work. The Cloud Custodian habit,
// across accounts: what runs inside a member account is what the member role allows, no more.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript.
import { describe, expect, it } from 'vitest';
import { RECORD_TAG_KEY_PATTERNS } from '../../../shared/key-enforcement/key-records.ts';
import { ORGANIZATION_DEFAULTS } from '../../../shared/organization/index.ts';
import {
  bundledModules,
  declaredActionsOf,
  type PolicyStatement,
  repoFile,
} from '../../helpers/deployment.ts';

const WORKER = 'functions/org-enforce-account.ts';
const LISTER = 'functions/org-list-accounts.ts';
const DIGEST = 'functions/org-digest.ts';

interface Template {
  Parameters: Record<string, { Default?: string }>;
  Resources: {
    MemberRole: {
      Properties: {
        RoleName: unknown;
        AssumeRolePolicyDocument: { Statement: PolicyStatement[] & { Principal?: unknown }[] };
        Policies: { PolicyDocument: { Statement: PolicyStatement[] } }[];
      };
    };
  };
}

const template: Template = JSON.parse(repoFile('deploy/member-role.cfn.json'));
const role = template.Resources.MemberRole.Properties;
const statements = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
const sorted = (actions: Iterable<string>) => [...new Set(actions)].sort();

/** Every action the modules bundled for a handler declare. */
async function declaredBy(handler: string): Promise<string[]> {
  const actions: string[] = [];
  for (const module of await bundledModules(handler)) {
    if (!/export const [A-Z0-9_]+_ACTIONS\b/.test(repoFile(module))) continue;
    actions.push(...Object.values(await declaredActionsOf(module)).flat());
  }
  return sorted(actions);
}

const iamOnly = (actions: string[]) => actions.filter((action) => action.startsWith('iam:'));
const USER_ARNS = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*' };

describe('the member role', () => {
  it('grants exactly the IAM actions the organization worker’s code declares', async () => {
    const declared = iamOnly(await declaredBy(WORKER));

    expect(declared.length).toBeGreaterThan(5);
    expect(sorted(statements.flatMap((statement) => statement.Action))).toEqual(declared);
  });

  it('holds exactly the IAM actions of a single-account run: the per-account work is the same code', async () => {
    const single = sorted([
      ...iamOnly(await declaredBy('functions/enforce-keys.ts')),
      ...iamOnly(await declaredBy('functions/enforce-password-policy.ts')),
    ]);

    expect(iamOnly(await declaredBy(WORKER))).toEqual(single);
  });

  it('is named as the worker assumes it by default', () => {
    expect(template.Parameters.MemberRoleName?.Default).toBe(ORGANIZATION_DEFAULTS.memberRoleName);
    expect(role.RoleName).toEqual({ Ref: 'MemberRoleName' });
  });

  it('trusts only the worker role, and only from within the organization', () => {
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Sid: 'OnlyTheWorkerOfThisOrganization',
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'WorkerRoleArn' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
      },
    ]);
  });

  it('acts on keys and tags only of users of its own account, and sets only its own record tags', () => {
    for (const statement of statements.filter((entry) =>
      entry.Action.some((action) => /AccessKey|UserTags|TagUser/.test(action)),
    )) {
      expect(statement.Resource).toEqual(USER_ARNS);
    }
    const tagging = statements.filter((entry) => entry.Action.includes('iam:TagUser'));
    expect(tagging).toHaveLength(1);
    expect(tagging[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'aws:TagKeys': [...RECORD_TAG_KEY_PATTERNS] },
      Null: { 'aws:TagKeys': 'false' },
    });
  });

  it('grants on "*" only actions that name no resource', () => {
    const onEverything = statements
      .filter((entry) => entry.Resource === '*')
      .flatMap((entry) => entry.Action);

    expect(sorted(onEverything)).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetAccountPasswordPolicy',
      'iam:GetCredentialReport',
      'iam:ListAccountAliases',
      'iam:UpdateAccountPasswordPolicy',
    ]);
  });
});

describe('the organization functions’ own actions', () => {
  it('the worker needs nothing in the security account’s IAM: it assumes member roles, mails, publishes, stores', async () => {
    const own = (await declaredBy(WORKER)).filter((action) => !action.startsWith('iam:'));

    expect(own).toEqual([
      'events:PutEvents',
      's3:PutObject',
      'ses:SendEmail',
      'ses:SendRawEmail',
      'sts:AssumeRole',
    ]);
  });

  it('the lister may only list accounts and OUs', async () => {
    expect(await declaredBy(LISTER)).toEqual([
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
    ]);
  });

  it('the digest only reads the night’s results and mails', async () => {
    expect(await declaredBy(DIGEST)).toEqual([
      's3:GetObject',
      's3:ListBucket',
      'ses:SendEmail',
      'ses:SendRawEmail',
    ]);
  });
});
