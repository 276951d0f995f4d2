// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables and CloudFormation Fn::Sub placeholders, not JavaScript.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { serviceTagKeys } from '../../../shared/onboarding/user-setup.ts';
import { readPolicy } from '../../helpers/deployment.ts';
import { evaluate, type Statement } from '../../helpers/policy-evaluator.ts';

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
  const statements = selfService.Statement as Statement[];
  const JANE = 'arn:aws:iam::123456789012:user/key-hygiene/jane.doe';
  const JOHN = 'arn:aws:iam::123456789012:user/key-hygiene/john.roe';
  // The sessions IAM knows: a console sign-in without MFA (every new user's first), one with MFA, and a
  // long-term access key, whose requests carry no aws:MultiFactorAuthPresent at all.
  const SESSIONS = {
    'a console session without MFA': { 'aws:username': 'jane.doe', 'aws:MultiFactorAuthPresent': 'false' },
    'a console session with MFA': { 'aws:username': 'jane.doe', 'aws:MultiFactorAuthPresent': 'true' },
    'an access key': { 'aws:username': 'jane.doe' },
  };
  type Session = keyof typeof SESSIONS;
  const decide = (session: Session, action: string, resource = JANE) =>
    evaluate(statements, { action, resource, context: SESSIONS[session] });

  it('lets a new user through the first sign-in without MFA: change the password, then enrol a device', () => {
    const firstSignIn: [string, string][] = [
      ['iam:GetAccountPasswordPolicy', '*'],
      ['iam:GetUser', JANE],
      ['iam:ChangePassword', JANE],
      ['iam:ListVirtualMFADevices', '*'],
      ['iam:CreateVirtualMFADevice', 'arn:aws:iam::123456789012:mfa/jane.doe'],
      ['iam:EnableMFADevice', JANE],
      ['iam:ListMFADevices', JANE],
    ];

    expect(
      firstSignIn.map(([action, resource]) => [
        action,
        decide('a console session without MFA', action, resource),
      ]),
    ).toEqual(firstSignIn.map(([action]) => [action, 'allowed']));
  });

  it.each([
    'iam:CreateAccessKey',
    'iam:UpdateAccessKey',
    'iam:DeleteAccessKey',
    'iam:ListAccessKeys',
    'iam:DeactivateMFADevice',
  ])('lets a user %s on their own user only once signed in with MFA', (action) => {
    expect(decide('a console session without MFA', action)).toBe('denied');
    expect(decide('an access key', action)).toBe('denied');
    expect(decide('a console session with MFA', action)).toBe('allowed');
  });

  it.each(['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ResyncMFADevice'])(
    'never lets a leaked access key %s: an attacker cannot enrol a device of their own',
    (action) => {
      const resource = action === 'iam:CreateVirtualMFADevice' ? 'arn:aws:iam::123456789012:mfa/x' : JANE;

      expect(decide('an access key', action, resource)).toBe('denied');
      expect(decide('a console session with MFA', action, resource)).toBe('allowed');
    },
  );

  it.each(['s3:GetObject', 'ec2:RunInstances', 'iam:CreateUser', 'iam:AttachUserPolicy'])(
    'denies anything else, %s included, to a session without MFA, whatever other policies grant',
    (action) => {
      expect(decide('a console session without MFA', action, '*')).toBe('denied');
      expect(decide('an access key', action, '*')).toBe('denied');
      expect(decide('a console session with MFA', action, '*')).toBe('not allowed');
    },
  );

  it.each(Object.keys(SESSIONS) as Session[])('never lets a user touch another user, in %s', (session) => {
    for (const action of [
      'iam:ChangePassword',
      'iam:CreateAccessKey',
      'iam:UpdateAccessKey',
      'iam:EnableMFADevice',
      'iam:DeactivateMFADevice',
    ]) {
      expect(decide(session, action, JOHN), action).not.toBe('allowed');
    }
  });

  it('lets a user work on their own user at the root or under any path', () => {
    for (const resource of ['arn:aws:iam::123456789012:user/jane.doe', JANE]) {
      expect(decide('a console session with MFA', 'iam:CreateAccessKey', resource)).toBe('allowed');
    }
  });

  it('grants on every resource only what reads account settings, and creates only MFA devices on mfa/*', () => {
    const broad = statements.filter(
      (entry) => entry.Effect === 'Allow' && !JSON.stringify(entry.Resource).includes('${aws:username}'),
    );

    expect(broad.flatMap((entry) => [entry.Action].flat()).sort()).toEqual(
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
