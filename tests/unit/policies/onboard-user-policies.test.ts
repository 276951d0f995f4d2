// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables and CloudFormation Fn::Sub placeholders, not JavaScript.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENTBRIDGE_ACTIONS } from '../../../shared/audit/publish-audit-events.ts';
import { MAIL_SES_ACTIONS } from '../../../shared/notify/mailer.ts';
import { ONBOARDING_IAM_ACTIONS } from '../../../shared/onboarding/onboarding-iam.ts';
import { CHANGE_PASSWORD_POLICY_NAME, ONBOARDED_TAG } from '../../../shared/onboarding/user-setup.ts';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const require = createRequire(import.meta.url);
const readPolicy = (name: string): { Statement: Statement[] } =>
  JSON.parse(readFileSync(new URL(`../../../policies/${name}`, import.meta.url), 'utf8'));
const onboardUser = readPolicy('onboard-user.json');
const selfService = readPolicy('self-service.json');

type Resolver = (context: { resolveVariable: (name: string) => Promise<string> }) => Promise<unknown>;
const cfnResources = require('../../../policies/onboard-user.cfn.cjs') as Record<
  'allowedGroupArns' | 'senderIdentityArns',
  Resolver
>;
const selfServiceForCloudFormation = require('../../../policies/self-service.cfn.cjs') as (() => unknown) & {
  forCloudFormation: (value: unknown) => unknown;
};

const statement = (sid: string) => {
  const found = onboardUser.Statement.find((entry) => entry.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}`);
  return found;
};
const params = (values: Record<string, string>) => ({
  resolveVariable: async (name: string) => values[name.replace(/^param:/, '')] ?? '',
});

describe('policies/onboard-user.json', () => {
  it('grants exactly the actions the onboarding adapters declare, and its own logs', () => {
    const granted = onboardUser.Statement.flatMap((entry) => entry.Action).sort();

    expect(granted).toEqual(
      [
        ...ONBOARDING_IAM_ACTIONS,
        ...MAIL_SES_ACTIONS,
        ...AUDIT_EVENTBRIDGE_ACTIONS,
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ].sort(),
    );
  });

  it('never lets the function create access keys', () => {
    expect(JSON.stringify(onboardUser)).not.toMatch(/AccessKey/);
  });

  it('attaches only the self-service policy and IAMUserChangePassword', () => {
    const attach = statement('AttachOnlySelfServiceAndChangePasswordPolicies');

    expect(attach.Action).toEqual(['iam:AttachUserPolicy', 'iam:DetachUserPolicy']);
    expect(attach.Condition).toEqual({
      ArnEquals: {
        'iam:PolicyARN': [
          { Ref: 'SelfServicePolicy' },
          { 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${CHANGE_PASSWORD_POLICY_NAME}` },
        ],
      },
    });
  });

  it('creates users only under the configured path and only with the onboarded tag', () => {
    const create = statement('CreateUsersMarkedAsOnboarded');

    expect(create.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user${param:userPath}*',
    });
    expect(create.Condition).toEqual({ Null: { [`aws:RequestTag/${ONBOARDED_TAG}`]: 'false' } });
  });
});

describe('policies/onboard-user.cfn.cjs', () => {
  it.each([
    ['any group when ALLOWED_GROUPS is empty', '', ['group/*']],
    [
      'the allowed groups at the root and under any path',
      'developers, analysts',
      ['group/developers', 'group/*/developers', 'group/analysts', 'group/*/analysts'],
    ],
  ])('lets memberships change for %s', async (_case, allowedGroups, groups) => {
    const arns = await cfnResources.allowedGroupArns(params({ allowedGroups }));

    expect(arns).toEqual(
      groups.map((group) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${group}` })),
    );
  });

  it.each([
    [
      'the sender address and its domain',
      'noreply@mail.corp.example',
      ['noreply@mail.corp.example', 'mail.corp.example'],
    ],
    ['no identity that can exist when mail is off', '', ['no-sender-configured']],
  ])('sends mail as %s', async (_case, senderEmail, identities) => {
    const arns = await cfnResources.senderIdentityArns(params({ senderEmail }));

    expect(arns).toEqual(
      identities.map((identity) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:identity/${identity}`,
      })),
    );
  });
});

describe('policies/self-service.json', () => {
  const OWN_USER = ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}'];

  it('lets a user manage their own password, MFA devices and access keys', () => {
    const actions = selfService.Statement.flatMap((entry) => entry.Action);

    for (const action of [
      'iam:ChangePassword',
      'iam:GetAccountPasswordPolicy',
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:ListMFADevices',
      'iam:CreateAccessKey',
      'iam:UpdateAccessKey',
      'iam:DeleteAccessKey',
      'iam:ListAccessKeys',
    ]) {
      expect(actions).toContain(action);
    }
  });

  it('allows only, and acts on user resources only when they are the caller (${aws:username})', () => {
    for (const entry of selfService.Statement) {
      expect(entry.Effect).toBe('Allow');
      const resources = [entry.Resource].flat() as string[];
      const userResources = resources.filter((resource) => resource.includes(':user/'));
      if (userResources.length > 0) expect(userResources).toEqual(OWN_USER);
    }
  });

  it('grants on every resource only what reads account settings, and creates only MFA devices on mfa/*', () => {
    const broad = selfService.Statement.filter(
      (entry) => !JSON.stringify(entry.Resource).includes('${aws:username}'),
    );

    expect(broad.flatMap((entry) => entry.Action).sort()).toEqual(
      ['iam:CreateVirtualMFADevice', 'iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'].sort(),
    );
  });
});

describe('policies/self-service.cfn.cjs', () => {
  it("escapes IAM's policy variables for Fn::Sub and uses the stack's partition", () => {
    expect(
      selfServiceForCloudFormation.forCloudFormation(['arn:aws:iam::*:user/*/${aws:username}', '*']),
    ).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:user/*/${!aws:username}' }, '*']);
  });

  it('keeps the document otherwise as it is', () => {
    const translated = JSON.stringify(selfServiceForCloudFormation());
    const restored = JSON.parse(translated, (_key, value: unknown) =>
      typeof value === 'object' && value !== null && 'Fn::Sub' in value
        ? String((value as { 'Fn::Sub': string })['Fn::Sub'])
            .replaceAll('${!', '${')
            .replace('arn:${AWS::Partition}:', 'arn:aws:')
        : value,
    );

    expect(restored).toEqual(selfService);
  });
});
