import { describe, expect, it } from 'vitest';
import { PASSWORD_NOTICE_TAG } from '../../../shared/console-access/console-records.ts';
import { checkRemovalGuard, removePasswords } from '../../../shared/console-access/remove-passwords.ts';
import type { ConsoleAccessPlan, PasswordDecision } from '../../../shared/console-access/types.ts';
import { addDays } from '../../../shared/kernel/time.ts';
import { daysAgo, NOW, SETTINGS } from '../../helpers/console-facts.ts';
import { FakeConsoleAccount } from '../../helpers/fake-console-account.ts';

const ACTED_AT = new Date('2026-11-23T03:01:00Z');

function removal(userName: string, usedDaysAgo: number): PasswordDecision {
  return {
    userName,
    decision: 'remove',
    reason: 'unused',
    lastUsed: daysAgo(usedDaysAgo),
    lastActivity: daysAgo(usedDaysAgo),
    activitySource: 'last sign-in',
    removalDate: addDays(daysAgo(usedDaysAgo), SETTINGS.passwordUnusedDays),
  };
}

function plan(decisions: PasswordDecision[], settings = SETTINGS): ConsoleAccessPlan {
  return { now: NOW, settings, passwords: decisions, mfa: [], idle: [] };
}

async function run(
  decisions: PasswordDecision[],
  account: FakeConsoleAccount,
  options: { dryRun?: boolean; limit?: number; guard?: number } = {},
) {
  const thePlan = plan(decisions, { ...SETTINGS, passwordRemovalsPerNight: options.limit ?? 20 });
  return removePasswords(thePlan, {
    account,
    dryRun: options.dryRun ?? false,
    guard: checkRemovalGuard(thePlan, options.guard ?? 50),
    actionTime: () => ACTED_AT,
  });
}

describe('removePasswords', () => {
  it('removes a due password after its live re-check, and clears its warning record', async () => {
    const account = new FakeConsoleAccount().add('alice', {
      passwordLastUsed: daysAgo(60),
      tags: { [PASSWORD_NOTICE_TAG]: 'warning-1 …', email: 'a@example.com' },
    });
    const [result] = await run([removal('alice', 60)], account);
    expect(result).toMatchObject({ outcome: 'done', actedAt: ACTED_AT });
    expect(account.users.get('alice')).toMatchObject({
      hasPassword: false,
      tags: { email: 'a@example.com' },
    });
    expect(account.calls).toEqual([
      'passwordLastUsed alice',
      'hasLoginProfile alice',
      'deleteLoginProfile alice',
      'untagUser alice',
    ]);
  });

  it.each([
    {
      case: 'signed in since the report',
      user: { passwordLastUsed: daysAgo(1) },
      detail: /^signed in on 2026-11-22, after the credential report/,
    },
    {
      case: 'no console password any more',
      user: { hasPassword: false },
      detail: /no console password any more/,
    },
  ])('skips a password $case, and removes nothing', async ({ user, detail }) => {
    const account = new FakeConsoleAccount().add('alice', { passwordLastUsed: daysAgo(60), ...user });
    const [result] = await run([removal('alice', 60)], account);
    expect(result?.outcome).toBe('skipped');
    expect(result?.detail).toMatch(detail);
    expect(account.calls).not.toContain('deleteLoginProfile alice');
  });

  it('skips a user deleted since the report', async () => {
    const [result] = await run([removal('ghost', 60)], new FakeConsoleAccount());
    expect(result).toMatchObject({ outcome: 'skipped', detail: 'the user no longer exists' });
  });

  it('keeps going after one user fails', async () => {
    const account = new FakeConsoleAccount().add('alice').add('bob');
    account.failOn.add('deleteLoginProfile alice');
    const results = await run([removal('alice', 60), removal('bob', 50)], account);
    expect(results.map((result) => [result.decision.userName, result.outcome])).toEqual([
      ['alice', 'failed'],
      ['bob', 'done'],
    ]);
    expect(results[0]?.detail).toContain('Throttling');
  });

  it('reports a removal whose record could not be cleared as done, with the detail', async () => {
    const account = new FakeConsoleAccount().add('alice');
    account.failOn.add('untagUser alice');
    const [result] = await run([removal('alice', 60)], account);
    expect(result?.outcome).toBe('done');
    expect(result?.detail).toMatch(/^removed; its warning record was not cleared/);
  });

  it('works off a backlog most overdue first, at most PASSWORD_REMOVALS_PER_NIGHT a night', async () => {
    const account = new FakeConsoleAccount().add('a').add('b').add('c');
    const results = await run([removal('a', 50), removal('b', 300), removal('c', 100)], account, {
      limit: 2,
    });
    expect(results.map((result) => [result.decision.userName, result.outcome])).toEqual([
      ['b', 'done'],
      ['c', 'done'],
      ['a', 'deferred'],
    ]);
    expect(account.users.get('a')?.hasPassword).toBe(true);
  });

  it('removes none when more are due than the guard allows', async () => {
    const account = new FakeConsoleAccount().add('a').add('b');
    const results = await run([removal('a', 50), removal('b', 60)], account, { guard: 1 });
    expect(results.map((result) => result.outcome)).toEqual(['held-by-guard', 'held-by-guard']);
    expect(account.calls).toEqual([]);
  });

  it('calls nothing in a dry run, and forecasts the per-night limit too', async () => {
    const account = new FakeConsoleAccount().add('a').add('b');
    const results = await run([removal('a', 50), removal('b', 60)], account, { dryRun: true, limit: 1 });
    expect(results.map((result) => [result.decision.userName, result.outcome])).toEqual([
      ['b', 'dry-run'],
      ['a', 'deferred'],
    ]);
    expect(account.calls).toEqual([]);
  });

  it.each([
    { due: 2, limit: 2, tripped: false },
    { due: 3, limit: 2, tripped: true },
    { due: 1, limit: 0, tripped: true },
    { due: 0, limit: 0, tripped: false },
  ])('guard: $due due, limit $limit: tripped $tripped', ({ due, limit, tripped }) => {
    const decisions = Array.from({ length: due }, (_, index) => removal(`u${index}`, 60));
    expect(checkRemovalGuard(plan(decisions), limit)).toEqual({ tripped, due, limit });
  });
});
