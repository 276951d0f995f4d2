import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../scripts/local-invoke.ts';
import { countOutcome } from '../../../shared/kernel/metrics.ts';
import type { OnboardedUser, OnboardingResult } from '../../../shared/onboarding/onboard-users.ts';
import {
  onboardedMetricValues,
  onboardingFailedMetricValues,
} from '../../../shared/onboarding/onboarding-metrics.ts';
import { passwordPolicyMetricValues } from '../../../shared/password-policy/policy-metrics.ts';
import type { PasswordPolicyOutcome, PasswordPolicyReport } from '../../../shared/password-policy/report.ts';

const context = lambdaContext('test') as Context;

/** A handler wrapped the way the functions wrap theirs, counting into a spy. */
function counted(handler: () => Promise<{ n: number }>, withOnError: boolean) {
  const addMetric = vi.fn();
  const wrapped = middy<unknown, { n: number }>()
    .use(
      countOutcome(
        { addMetric },
        {
          onSuccess: (result: { n: number }) => ({ Done: result.n }),
          ...(withOnError ? { onError: () => ({ Failed: 1 }) } : {}),
        },
      ),
    )
    .handler(handler);
  return { addMetric, invoke: () => wrapped({}, context) };
}

describe('countOutcome', () => {
  it('adds the counts of a successful invocation as Count metrics and returns its result unchanged', async () => {
    const { addMetric, invoke } = counted(async () => ({ n: 3 }), true);

    await expect(invoke()).resolves.toEqual({ n: 3 });
    expect(addMetric.mock.calls).toEqual([['Done', 'Count', 3]]);
  });

  it('adds the counts of a failed invocation and lets the error through', async () => {
    const failure = new Error('boom');
    const { addMetric, invoke } = counted(async () => Promise.reject(failure), true);

    await expect(invoke()).rejects.toBe(failure);
    expect(addMetric.mock.calls).toEqual([['Failed', 'Count', 1]]);
  });

  it('adds nothing for a failure when no error counts are given', async () => {
    const { addMetric, invoke } = counted(async () => Promise.reject(new Error('boom')), false);

    await expect(invoke()).rejects.toThrow('boom');
    expect(addMetric).not.toHaveBeenCalled();
  });
});

describe('passwordPolicyMetricValues', () => {
  it.each<[PasswordPolicyOutcome, number]>([
    ['created', 1],
    ['updated', 1],
    ['compliant', 0],
    ['would-create', 0],
    ['would-update', 0],
  ])('counts PasswordPolicyUpdated for the outcome %s as %i', (outcome, updated) => {
    const report = { outcome, chat: { posted: 0, failed: [] } } as unknown as PasswordPolicyReport;

    expect(passwordPolicyMetricValues(report)).toEqual({ PasswordPolicyUpdated: updated, ChatPostFailed: 0 });
  });

  it('counts the chat messages that could not be posted', () => {
    const report = {
      outcome: 'updated',
      chat: { posted: 0, failed: [{ title: 'x', error: 'NotFoundException' }] },
    } as unknown as PasswordPolicyReport;

    expect(passwordPolicyMetricValues(report).ChatPostFailed).toBe(1);
  });
});

describe('onboarding metrics', () => {
  it.each([1, 10])('counts %i users onboarded and no failure for a request that succeeded', (count) => {
    const result: OnboardingResult = { users: Array.from({ length: count }, () => ({}) as OnboardedUser) };

    expect(onboardedMetricValues(result)).toEqual({ UsersOnboarded: count, OnboardingFailed: 0 });
  });

  it('counts a failed request once and no user onboarded', () => {
    expect(onboardingFailedMetricValues()).toEqual({ UsersOnboarded: 0, OnboardingFailed: 1 });
  });
});
