// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables, not JavaScript.
// The evaluator the policy tests read documents through: each rule of IAM's it implements, one case each.
import { describe, expect, it } from 'vitest';
import {
  type Decision,
  evaluate,
  type PolicyRequest,
  type Statement,
} from '../../helpers/policy-evaluator.ts';

const allow = (extra: Partial<Statement>): Statement => ({
  Effect: 'Allow',
  Action: 'iam:*',
  Resource: '*',
  ...extra,
});
const request = (extra: Partial<PolicyRequest> = {}): PolicyRequest => ({
  action: 'iam:CreateAccessKey',
  resource: 'arn:aws:iam::123456789012:user/jane.doe',
  ...extra,
});

describe('evaluate', () => {
  it.each<[string, Statement[], PolicyRequest, Decision]>([
    ['an action wildcard, in any case', [allow({ Action: 'IAM:Create*' })], request(), 'allowed'],
    ['an action outside the statement', [allow({ Action: 's3:*' })], request(), 'not allowed'],
    [
      'NotAction: the actions it lists are outside',
      [allow({ Action: undefined, NotAction: 'iam:CreateAccessKey' })],
      request(),
      'not allowed',
    ],
    [
      'NotAction: every other action is inside',
      [allow({ Action: undefined, NotAction: 's3:*' })],
      request(),
      'allowed',
    ],
    [
      '${aws:username} filled in from the context',
      [allow({ Resource: 'arn:aws:iam::*:user/${aws:username}' })],
      request({ context: { 'aws:username': 'jane.doe' } }),
      'allowed',
    ],
    [
      '${aws:username} of another user',
      [allow({ Resource: 'arn:aws:iam::*:user/${aws:username}' })],
      request({ context: { 'aws:username': 'john.roe' } }),
      'not allowed',
    ],
    ['a Deny over an Allow', [allow({}), { ...allow({}), Effect: 'Deny' }], request(), 'denied'],
    [
      'Bool on a missing key: false',
      [allow({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })],
      request(),
      'not allowed',
    ],
    [
      'BoolIfExists on a missing key: true',
      [allow({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })],
      request(),
      'allowed',
    ],
    [
      'Null true on a missing key',
      [allow({ Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } } })],
      request(),
      'allowed',
    ],
    [
      'Null true on a present key',
      [allow({ Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } } })],
      request({ context: { 'aws:MultiFactorAuthPresent': 'false' } }),
      'not allowed',
    ],
    [
      'ForAllValues on no values: true',
      [allow({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } } })],
      request(),
      'allowed',
    ],
    [
      'ForAllValues with one value outside',
      [allow({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } } })],
      request({ context: { 'aws:TagKeys': ['a', 'b'] } }),
      'not allowed',
    ],
    [
      'ForAnyValue on no values: false',
      [allow({ Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['a*'] } } })],
      request(),
      'not allowed',
    ],
    [
      'ForAnyValue with one value inside',
      [allow({ Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['a*'] } } })],
      request({ context: { 'aws:TagKeys': ['b', 'ab'] } }),
      'allowed',
    ],
    [
      'StringEqualsIgnoreCase',
      [allow({ Condition: { 'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': ['email'] } } })],
      request({ context: { 'aws:TagKeys': ['EMAIL'] } }),
      'allowed',
    ],
    [
      'ArnNotLike on a matching ARN',
      [allow({ Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:*:iam::*:role/x-*' } } })],
      request({ context: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/x-1' } }),
      'not allowed',
    ],
    [
      'a negated operator on a missing key: true',
      [allow({ Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:*' } } })],
      request(),
      'allowed',
    ],
    [
      'condition keys in any case',
      [allow({ Condition: { Bool: { 'AWS:MultiFactorAuthPresent': 'TRUE' } } })],
      request({ context: { 'aws:MultiFactorAuthPresent': 'true' } }),
      'allowed',
    ],
  ])('reads %s', (_case, statements, input, decision) => {
    expect(evaluate(statements, input)).toBe(decision);
  });

  it('refuses an operator it does not know rather than guess', () => {
    expect(() =>
      evaluate(
        [allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01' } } })],
        request({ context: { 'aws:CurrentTime': 'x' } }),
      ),
    ).toThrow('the evaluator does not know the operator DateGreaterThan');
  });
});
