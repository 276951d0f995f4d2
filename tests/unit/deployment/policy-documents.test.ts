// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables and CloudFormation Fn::Sub placeholders, not JavaScript.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { serviceTagKeys } from '../../../shared/onboarding/user-setup.ts';
import { readPolicy } from '../../helpers/deployment.ts';

const require = createRequire(import.meta.url);

type Resolver = (context: { resolveVariable: (name: string) => Promise<string> }) => Promise<unknown>;
const stageResources = require('../../../policies/stage-resources.cfn.cjs') as Record<
  'allowedGroupArns' | 'senderIdentityArns' | 'onboardedUserArns' | 'onboardingTagKeys',
  Resolver
> & { ONBOARDED_TAGS: string[] };
const stageParams = require('../../../deploy/stage-params.cfn.cjs') as Record<
  | 'scheduleTimezone'
  | 'alarmEmail'
  | 'permissionsBoundaryArn'
  | 'allowedGroups'
  | 'allowedTagKeys'
  | 'userPath',
  Resolver
>;
const selfServiceForCloudFormation = require('../../../policies/self-service.cfn.cjs') as (() => unknown) & {
  forCloudFormation: (value: unknown) => unknown;
};
const selfService = readPolicy('policies/self-service.json');

/** osls's resolver, answering `param:<name>` from the given stage parameters ('' when unset). */
const params = (values: Record<string, string>) => ({
  resolveVariable: async (name: string) => values[name.replace(/^param:/, '')] ?? '',
});

describe('policies/stage-resources.cfn.cjs', () => {
  it.each([
    [
      'the one allowed group at the root and under any path',
      'developers',
      ['group/developers', 'group/*/developers'],
    ],
    [
      'the allowed groups at the root and under any path',
      'developers, analysts',
      ['group/developers', 'group/*/developers', 'group/analysts', 'group/*/analysts'],
    ],
  ])('names %s', async (_case, allowedGroups, groups) => {
    const arns = await stageResources.allowedGroupArns(params({ allowedGroups }));

    expect(arns).toEqual(
      groups.map((group) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${group}` })),
    );
  });

  it.each(['', ' , '])('never names every group: allowedGroups=%j fails packaging', async (allowedGroups) => {
    await expect(stageResources.allowedGroupArns(params({ allowedGroups }))).rejects.toMatchObject({
      name: 'StageParamError',
      message: expect.stringContaining('Stage parameter allowedGroups'),
    });
  });

  it.each([
    ['/key-hygiene/', 'user/key-hygiene/*'],
    ['/people/engineering/', 'user/people/engineering/*'],
  ])('names the users under userPath=%s as the ones onboardUser acts on', async (userPath, users) => {
    expect(await stageResources.onboardedUserArns(params({ userPath }))).toEqual({
      'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${users}`,
    });
  });

  it.each([
    ['no request tag', '', ['email', 'key-hygiene:onboarded', 'key-hygiene:onboarded-by']],
    [
      'the allowed ones',
      'team, cost center',
      ['email', 'key-hygiene:onboarded', 'key-hygiene:onboarded-by', 'team', 'cost center'],
    ],
  ])('lets onboardUser set the email tag, its own and %s', async (_case, allowedTagKeys, keys) => {
    expect(await stageResources.onboardingTagKeys(params({ emailTag: 'email', allowedTagKeys }))).toEqual(
      keys,
    );
  });

  it('sets the same tags of its own as the code does', () => {
    expect(['email', ...stageResources.ONBOARDED_TAGS]).toEqual(serviceTagKeys('email'));
  });

  it.each([
    [
      'the sender address and its domain',
      'noreply@mail.corp.example',
      ['noreply@mail.corp.example', 'mail.corp.example'],
    ],
    ['no identity that can exist when mail is off', '', ['no-sender-configured']],
  ])('sends mail as %s', async (_case, senderEmail, identities) => {
    const arns = await stageResources.senderIdentityArns(params({ senderEmail }));

    expect(arns).toEqual(
      identities.map((identity) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:identity/${identity}`,
      })),
    );
  });
});

describe('deploy/stage-params.cfn.cjs', () => {
  it.each([
    ['scheduleTimezone', 'UTC'],
    ['scheduleTimezone', 'Europe/Berlin'],
    ['scheduleTimezone', ' America/New_York '],
    ['alarmEmail', ''],
    ['alarmEmail', 'security-alarms@corp.example'],
    ['permissionsBoundaryArn', ''],
    ['permissionsBoundaryArn', 'arn:aws:iam::123456789012:policy/boundaries/developer-boundary'],
    ['userPath', '/key-hygiene/'],
    ['userPath', ' /people/engineering/ '],
  ] as const)('accepts %s=%j', async (param, value) => {
    await expect(stageParams[param](params({ [param]: value }))).resolves.toBe(value.trim());
  });

  it.each([
    ['allowedGroups', 'developers', ['developers']],
    ['allowedGroups', ' developers , data.analysts,,', ['developers', 'data.analysts']],
    ['allowedTagKeys', '', []],
    ['allowedTagKeys', 'team, cost center, Kostenstelle:Süd', ['team', 'cost center', 'Kostenstelle:Süd']],
  ] as const)('accepts %s=%j as %j', async (param, value, list) => {
    const stage = { emailTag: 'email', exemptTag: 'key-hygiene:exempt', [param]: value };
    await expect(stageParams[param](params(stage))).resolves.toEqual(list);
  });

  const TIME_ZONE = 'an IANA time zone, e.g. UTC or Europe/Berlin';
  const ONE_ADDRESS = "one email address (a team list), or '' for none";
  const POLICY_ARN = "a managed policy ARN, or '' for none";
  const GROUPS =
    'the IAM groups new users may join, comma-separated, at least one (onboardUser can put users in these groups and no other)';
  const TAG_KEYS =
    "comma-separated tag keys, none of them aws:..., key-hygiene:..., emailTag or exemptTag; or '' for none";
  const USER_PATH =
    'an IAM path of the onboarded users alone, e.g. /key-hygiene/ (not /: the onboarding role may set passwords on and delete every user under it)';

  it.each([
    ['scheduleTimezone', 'Europe/Berln', TIME_ZONE],
    ['scheduleTimezone', '', TIME_ZONE],
    ['scheduleTimezone', '+02:00', TIME_ZONE],
    ['alarmEmail', 'security@corp.example,oncall@corp.example', ONE_ADDRESS],
    ['alarmEmail', 'security', ONE_ADDRESS],
    ['permissionsBoundaryArn', 'developer-boundary', POLICY_ARN],
    ['permissionsBoundaryArn', 'arn:aws:iam::123456789012:role/developer', POLICY_ARN],
    ['allowedGroups', '', GROUPS],
    ['allowedGroups', ',', GROUPS],
    ['allowedGroups', 'developers,dev ops', GROUPS],
    ['allowedGroups', 'developers,*', GROUPS],
    ['allowedTagKeys', 'team,cost*center', TAG_KEYS],
    ['allowedTagKeys', 'aws:createdBy', TAG_KEYS],
    ['allowedTagKeys', 'Key-Hygiene:exempt', TAG_KEYS],
    ['allowedTagKeys', 'team,Email', TAG_KEYS],
    ['allowedTagKeys', 'no-rotation', TAG_KEYS],
    ['userPath', '/', USER_PATH],
    ['userPath', '', USER_PATH],
    ['userPath', 'key-hygiene', USER_PATH],
    ['userPath', '/key hygiene/', USER_PATH],
  ] as const)('refuses %s=%j, naming the stage parameter', async (param, value, expected) => {
    const stage = { emailTag: 'email', exemptTag: 'no-rotation', [param]: value };
    await expect(stageParams[param](params(stage))).rejects.toMatchObject({
      name: 'StageParamError',
      message: `Stage parameter ${param}: ${JSON.stringify(value)} is not valid: must be ${expected}`,
    });
  });
});

describe('policies/self-service.json', () => {
  const OWN_USER = ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}'];
  const statementGranting = (action: string) =>
    selfService.Statement.find((entry) => entry.Action.includes(action));

  it('lets a user manage their own password, MFA devices and access keys', () => {
    const actions = selfService.Statement.flatMap((entry) => entry.Action);

    for (const action of [
      'iam:ChangePassword',
      'iam:GetAccountPasswordPolicy',
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:DeactivateMFADevice',
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

  it('lets a user switch off their MFA device only in a session signed in with MFA', () => {
    expect(statementGranting('iam:DeactivateMFADevice')).toMatchObject({
      Action: ['iam:DeactivateMFADevice'],
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
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
