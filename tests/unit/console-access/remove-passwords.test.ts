import { describe, expect, it } from 'vitest';
import {
  PASSWORD_NOTICE_TAG,
  PASSWORD_REMOVE_ON_TAG,
} from '../../../shared/console-access/console-records.ts';
import { removePasswords } from '../../../shared/console-access/remove-passwords.ts';
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

const waiting = (decision: PasswordDecision, until?: Date): PasswordDecision => ({
  ...decision,
  waits: until === undefined ? {} : { until },
});

function plan(decisions: PasswordDecision[]): ConsoleAccessPlan {
  const budget = { limit: 20, due: decisions.length, tonight: decisions.length, waiting: 0, remaining: 0 };
  return { now: NOW, settings: SETTINGS, passwords: decisions, budget, records: [], mfa: [], idle: [] };
}

async function run(
  decisions: PasswordDecision[],
  account: FakeConsoleAccount,
  options: { dryRun?: boolean; guardTripped?: boolean } = {},
) {
  const tripped = options.guardTripped ?? false;
  return removePasswords(plan(decisions), {
    account,
    dryRun: options.dryRun ?? false,
    guard: { tripped, passwordsNeedingAction: decisions.length, passwordsInAccount: decisions.length },
    actionTime: () => ACTED_AT,
  });
}

describe('removePasswords', () => {
  it('removes a due password after its live re-check, and clears its warning records', async () => {
    const account = new FakeConsoleAccount().add('alice', {
      passwordLastUsed: daysAgo(60),
      tags: {
        [PASSWORD_NOTICE_TAG]: 'warning-1 …',
        [PASSWORD_REMOVE_ON_TAG]: '… for …',
        email: 'a@example.com',
      },
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
    expect(result?.detail).toMatch(/^removed; its warning records were not cleared/);
  });

  it('removes the most overdue first; one the per-night limit leaves waits, and says until when', async () => {
    const account = new FakeConsoleAccount().add('a').add('b').add('c');
    const results = await run(
      [removal('a', 50), removal('b', 300), waiting(removal('c', 100), addDays(NOW, 1))],
      account,
    );
    expect(results.map((result) => [result.decision.userName, result.outcome])).toEqual([
      ['b', 'done'],
      ['c', 'waiting'],
      ['a', 'done'],
    ]);
    expect(results[1]?.detail).toBe(
      'due; left for the night of 2026-11-24 by PASSWORD_REMOVALS_PER_NIGHT, the most overdue first',
    );
    expect(account.users.get('c')?.hasPassword).toBe(true);
    expect(account.calls).not.toContain('passwordLastUsed c');
  });

  it('says removals are paused when the limit is 0', async () => {
    const [result] = await run([waiting(removal('a', 50))], new FakeConsoleAccount().add('a'));
    expect(result).toMatchObject({
      outcome: 'waiting',
      detail: 'due; removals are paused (PASSWORD_REMOVALS_PER_NIGHT is 0)',
    });
  });

  it('removes none, and calls nothing, when the guard tripped', async () => {
    const account = new FakeConsoleAccount().add('a').add('b');
    const results = await run([removal('a', 50), removal('b', 60)], account, { guardTripped: true });
    expect(results.map((result) => result.outcome)).toEqual(['held-by-guard', 'held-by-guard']);
    expect(account.calls).toEqual([]);
  });

  it('calls nothing in a dry run, and forecasts the per-night limit too', async () => {
    const account = new FakeConsoleAccount().add('a').add('b');
    const results = await run([waiting(removal('a', 50), addDays(NOW, 1)), removal('b', 60)], account, {
      dryRun: true,
    });
    expect(results.map((result) => [result.decision.userName, result.outcome])).toEqual([
      ['b', 'dry-run'],
      ['a', 'waiting'],
    ]);
    expect(account.calls).toEqual([]);
  });
});
