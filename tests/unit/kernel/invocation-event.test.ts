import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../shared/kernel/errors.ts';
import { invokedIn, parseDryRunEvent } from '../../../shared/kernel/invocation-event.ts';

const scheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-01-15T03:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/key-hygiene-nightly'],
  detail: {},
};

/** Runs the parse and returns the InvalidEventError it throws; fails the test when it throws nothing or else. */
function invalidEventErrorFrom(event: unknown): InvalidEventError {
  try {
    parseDryRunEvent(event, 'enforceKeys');
  } catch (error: unknown) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  return expect.unreachable('expected an InvalidEventError');
}

describe('parseDryRunEvent', () => {
  it.each([
    ['null', null, false],
    ['undefined', undefined, false],
    ['an empty string', '', false],
    ['an empty object', {}, false],
    ['a scheduled event', scheduledEvent, false],
    ['{ dryRun: false }', { dryRun: false }, false],
    ['{ dryRun: true }', { dryRun: true }, true],
    ['a scheduled event asking for a dry run', { ...scheduledEvent, dryRun: true }, true],
  ])('reads %s as dryRun %s', (_case, event, dryRun) => {
    expect(parseDryRunEvent(event, 'enforceKeys')).toEqual({ dryRun });
  });

  it.each([
    ['yes', { dryRun: 'yes' }],
    ["the string 'true'", { dryRun: 'true' }],
    ['1', { dryRun: 1 }],
    ['null', { dryRun: null }],
  ])('refuses dryRun %s with an InvalidEventError naming dryRun', (_case, event) => {
    const error = invalidEventErrorFrom(event);

    expect(error.name).toBe('InvalidEventError');
    expect(error.message).toContain('dryRun: ');
    expect(error.message).toContain('true or false');
  });

  it.each([
    ['a number', 42],
    ['a non-empty string', 'dry run please'],
    ['an array', [{ dryRun: true }]],
  ])('refuses %s as the event', (_case, event) => {
    const error = invalidEventErrorFrom(event);

    expect(error.message).toContain('Invalid enforceKeys event');
  });
});

describe('parseDryRunEvent names the function it reads for', () => {
  it.each(['enforceKeys', 'enforcePasswordPolicy'])('%s', (functionName) => {
    expect(() => parseDryRunEvent({ dryRun: 'yes' }, functionName)).toThrow(
      `Invalid ${functionName} event: dryRun: must be true or false`,
    );
  });
});

describe('invokedIn', () => {
  it.each([
    {
      case: 'a deployed function',
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:key-hygiene-prod-enforceKeys',
      expected: { accountId: '123456789012', partition: 'aws' },
    },
    {
      case: 'a function of another partition',
      arn: 'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f',
      expected: { accountId: '123456789012', partition: 'aws-us-gov' },
    },
    {
      case: 'an alias',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:f:live',
      expected: { accountId: '123456789012', partition: 'aws' },
    },
    { case: 'serverless invoke local (no ARN)', arn: undefined, expected: {} },
    { case: 'not a Lambda ARN', arn: 'arn:aws:iam::123456789012:role/x', expected: {} },
    {
      case: 'an account that is not 12 digits',
      arn: 'arn:aws:lambda:us-east-1:12345:function:f',
      expected: { partition: 'aws' },
    },
    { case: 'garbage', arn: 'not-an-arn', expected: {} },
  ])('reads the account and partition of $case', ({ arn, expected }) => {
    expect(invokedIn(arn === undefined ? {} : { invokedFunctionArn: arn })).toEqual(expected);
  });
});
