// The optional policies that keep every principal but the service's roles off its tags: the service
// control policy (policies/protect-service-tags.scp.json) and, for an account outside an organization,
// the permissions boundary (policies/protect-service-tags.boundary.json). Read as behaviour through the
// evaluator: who may set or remove which tag.
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, readPolicy, repoFile } from '../../helpers/deployment.ts';
import { evaluate, type Statement } from '../../helpers/policy-evaluator.ts';

const scp = readPolicy('policies/protect-service-tags.scp.json').Statement as Statement[];
const boundary = readPolicy('policies/protect-service-tags.boundary.json').Statement as Statement[];

const ACCOUNT = 'arn:aws:iam::123456789012';
const USER = `${ACCOUNT}:user/key-hygiene/jane.doe`;
const service = /^service: (\S+)$/m.exec(repoFile('serverless.yml'))?.[1] ?? '';
/** The name CloudFormation gives a role of the stack: <stack>-<logical id>-<suffix>; the stack is <service>-<stage>. */
const stackRole = (logicalId: string, stage = 'prod') =>
  `${ACCOUNT}:role/${service}-${stage}-${logicalId}-1A2B3C4D5E6F`;

const SERVICE_TAGS = [
  ['the exempt tag', ['key-hygiene:exempt']],
  ['a deactivation record', ['key-hygiene:deactivated:AKIAIOSFODNN7EXAMPLE']],
  ['a record in capitals (IAM tag keys ignore case)', ['KEY-HYGIENE:NOTIFIED:AKIAIOSFODNN7EXAMPLE']],
  ['a record in mixed case', ['Key-Hygiene:Inactive-Since:AKIAIOSFODNN7EXAMPLE']],
  ['the email tag', ['email']],
  ['the email tag in another case', ['Email']],
  ['an own tag among others', ['team', 'key-hygiene:exempt']],
] as const;
const OTHER_TAGS = [
  ['a tag of its own', ['team']],
  ['tags merely containing the words', ['email-backup', 'my-key-hygiene:x']],
] as const;
const ACTIONS = ['iam:TagUser', 'iam:UntagUser'];

const tagging = (statements: Statement[], principal: string, action: string, tagKeys: readonly string[]) =>
  evaluate(statements, {
    action,
    resource: USER,
    context: { 'aws:PrincipalArn': principal, 'aws:TagKeys': [...tagKeys] },
  });

describe('policies/protect-service-tags.scp.json', () => {
  const OTHERS = [
    ['the user themselves', USER],
    ['an administrator', `${ACCOUNT}:role/Administrator`],
    ['the password-policy role of the stack', stackRole('EnforcePasswordPolicyRole')],
    ['a role named like the service’s elsewhere', `${ACCOUNT}:role/EnforceKeysRole`],
  ] as const;
  const SERVICE_ROLES = [
    ['enforceKeys (records)', stackRole('EnforceKeysRole')],
    ['enforceKeys of another stage', stackRole('EnforceKeysRole', 'dev')],
    ['onboardUser (the email and onboarded tags)', stackRole('OnboardUserRole')],
    ['the organization member role', `${ACCOUNT}:role/key-hygiene-member`],
    ['the exemptions administrators', `${ACCOUNT}:role/key-hygiene-exemptions-admin`],
  ] as const;

  describe.each(OTHERS)('for %s', (_who, principal) => {
    it.each(SERVICE_TAGS)('denies setting or removing %s', (_case, tagKeys) => {
      for (const action of ACTIONS) expect(tagging(scp, principal, action, tagKeys), action).toBe('denied');
    });

    it.each(OTHER_TAGS)('leaves %s alone', (_case, tagKeys) => {
      for (const action of ACTIONS)
        expect(tagging(scp, principal, action, tagKeys), action).not.toBe('denied');
    });
  });

  it.each(SERVICE_ROLES)('lets %s set and remove them', (_who, principal) => {
    for (const [, tagKeys] of SERVICE_TAGS) {
      for (const action of ACTIONS) expect(tagging(scp, principal, action, tagKeys)).not.toBe('denied');
    }
  });

  it('names every role of the stack that tags users, by the name CloudFormation gives it', () => {
    const patterns = scp.flatMap((statement) => Object.values(statement.Condition?.ArnNotLike ?? {}).flat());
    const taggers = FUNCTIONS.filter((fn) =>
      readPolicy(fn.policy).Statement.some(
        (entry) => entry.Effect === 'Allow' && entry.Action.includes('iam:TagUser'),
      ),
    ).map((fn) => fn.role);

    expect(taggers.sort()).toEqual(['EnforceConsoleAccessRole', 'EnforceKeysRole', 'OnboardUserRole']);
    for (const role of taggers) expect(patterns).toContain(`arn:*:iam::*:role/${service}-*-${role}-*`);
  });

  it('touches nothing but tagging users', () => {
    expect(scp.flatMap((statement) => [statement.Action].flat()).sort()).toEqual(
      [...ACTIONS, ...ACTIONS].sort(),
    );
    expect(scp.every((statement) => statement.Effect === 'Deny')).toBe(true);
  });
});

describe('policies/protect-service-tags.boundary.json', () => {
  it.each(SERVICE_TAGS)('denies a bounded user setting or removing %s', (_case, tagKeys) => {
    for (const action of ACTIONS) expect(tagging(boundary, USER, action, tagKeys), action).toBe('denied');
  });

  it.each(OTHER_TAGS)('leaves %s to the user’s own policies', (_case, tagKeys) => {
    for (const action of ACTIONS) expect(tagging(boundary, USER, action, tagKeys), action).toBe('allowed');
  });

  it.each([
    ['s3:GetObject', 'arn:aws:s3:::reports/2026.csv', 'allowed'],
    ['iam:CreateAccessKey', USER, 'allowed'],
    ['iam:DeleteUserPermissionsBoundary', USER, 'denied'],
    ['iam:PutUserPermissionsBoundary', `${ACCOUNT}:user/john.roe`, 'denied'],
    ['iam:CreatePolicyVersion', `${ACCOUNT}:policy/key-hygiene-protect-service-tags`, 'denied'],
    ['iam:SetDefaultPolicyVersion', `${ACCOUNT}:policy/key-hygiene-protect-service-tags`, 'denied'],
    ['iam:CreatePolicyVersion', `${ACCOUNT}:policy/team-policy`, 'allowed'],
  ])('lets a bounded user %s on %s: %s', (action, resource, decision) => {
    expect(evaluate(boundary, { action, resource, context: { 'aws:PrincipalArn': USER } })).toBe(decision);
  });
});
