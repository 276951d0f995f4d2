import { describe, expect, it } from 'vitest';
import { awsManagedPolicyArn, parseArn, signInUrl } from '../../../shared/onboarding/sign-in-url.ts';

describe('signInUrl', () => {
  it.each([
    [
      'the account id',
      'arn:aws:iam::123456789012:user/jane',
      undefined,
      'https://123456789012.signin.aws.amazon.com/console',
    ],
    [
      'the alias',
      'arn:aws:iam::123456789012:user/jane',
      'acme-prod',
      'https://acme-prod.signin.aws.amazon.com/console',
    ],
    [
      'the account id of a user with a path',
      'arn:aws:iam::210987654321:user/eng/data/jane',
      undefined,
      'https://210987654321.signin.aws.amazon.com/console',
    ],
    [
      'the China domain',
      'arn:aws-cn:iam::123456789012:user/jane',
      undefined,
      'https://123456789012.signin.amazonaws.cn/console',
    ],
    [
      'the GovCloud domain',
      'arn:aws-us-gov:iam::123456789012:user/jane',
      'gov-alias',
      'https://gov-alias.signin.amazonaws-us-gov.com/console',
    ],
  ])('uses %s', (_case, userArn, alias, url) => {
    expect(signInUrl(userArn, alias)).toBe(url);
  });

  it('refuses something that is not an ARN', () => {
    expect(() => signInUrl('jane', undefined)).toThrow('Not an ARN: "jane"');
  });
});

describe('parseArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:policy/self-service', { partition: 'aws', accountId: '123456789012' }],
    ['arn:aws-cn:iam::aws:policy/IAMUserChangePassword', { partition: 'aws-cn', accountId: 'aws' }],
    [
      'arn:aws:events:eu-west-1:123456789012:event-bus/default',
      { partition: 'aws', accountId: '123456789012' },
    ],
  ])('reads %s', (arn, parts) => {
    expect(parseArn(arn)).toEqual(parts);
  });
});

describe('awsManagedPolicyArn', () => {
  it.each([
    ['aws', 'arn:aws:iam::aws:policy/IAMUserChangePassword'],
    ['aws-us-gov', 'arn:aws-us-gov:iam::aws:policy/IAMUserChangePassword'],
  ])('names the policy in the %s partition', (partition, arn) => {
    expect(awsManagedPolicyArn(partition, 'IAMUserChangePassword')).toBe(arn);
  });
});
