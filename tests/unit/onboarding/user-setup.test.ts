import { describe, expect, it } from 'vitest';
import {
  ONBOARDED_BY_TAG,
  ONBOARDED_TAG,
  planUserSetup,
  serviceTagKeys,
  type UserSetupSettings,
} from '../../../shared/onboarding/user-setup.ts';
import { weakPolicy } from '../../helpers/password-policies.ts';

const SETTINGS: UserSetupSettings = {
  emailTag: 'owner-email',
  userPath: '/people/',
  permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary',
  selfServicePolicyArn: 'arn:aws:iam::123456789012:policy/self-service',
};
const FACTS = {
  passwordPolicy: undefined,
  onboardedAt: new Date('2026-11-23T10:00:00.000Z'),
  requestId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
};
const jane = {
  userName: 'jane.doe',
  email: 'jane.doe@example.com',
  groups: ['developers'],
  tags: { team: 'data' },
};

describe('planUserSetup', () => {
  it('adds the email, when and how to the request tags, with the path, boundary and groups', () => {
    expect(planUserSetup(jane, SETTINGS, FACTS)).toEqual({
      userName: 'jane.doe',
      email: 'jane.doe@example.com',
      path: '/people/',
      permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary',
      tags: {
        team: 'data',
        'owner-email': 'jane.doe@example.com',
        'key-hygiene:onboarded': '2026-11-23T10:00:00.000Z',
        'key-hygiene:onboarded-by': 'onboardUser request 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      },
      groups: ['developers'],
      policyArns: [
        'arn:aws:iam::123456789012:policy/self-service',
        'arn:aws:iam::aws:policy/IAMUserChangePassword',
      ],
    });
  });

  it.each([
    ['lets users change their password', true, ['arn:aws-cn:iam::123456789012:policy/self-service']],
    [
      'does not let users change their password',
      false,
      [
        'arn:aws-cn:iam::123456789012:policy/self-service',
        'arn:aws-cn:iam::aws:policy/IAMUserChangePassword',
      ],
    ],
  ])(
    'attaches the right policies, in the partition of the self-service policy, when the account %s',
    (_case, allow, policyArns) => {
      const plan = planUserSetup(
        jane,
        { ...SETTINGS, selfServicePolicyArn: 'arn:aws-cn:iam::123456789012:policy/self-service' },
        { ...FACTS, passwordPolicy: weakPolicy({ allowUsersToChangePassword: allow }) },
      );

      expect(plan.policyArns).toEqual(policyArns);
    },
  );

  it('keeps every service tag within what IAM accepts in a tag value', () => {
    const tags = planUserSetup(jane, SETTINGS, FACTS).tags;

    for (const value of Object.values(tags)) expect(value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u);
  });
});

describe('serviceTagKeys', () => {
  it('lists the email tag and the two onboarding tags', () => {
    expect(serviceTagKeys('email')).toEqual(['email', ONBOARDED_TAG, ONBOARDED_BY_TAG]);
  });
});
