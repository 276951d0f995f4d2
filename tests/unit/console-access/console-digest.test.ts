import { describe, expect, it } from 'vitest';
import { renderConsoleDigest } from '../../../shared/console-access/notify/console-digest.ts';
import { countPasswords, type RunSummary } from '../../../shared/console-access/summary.ts';
import type { ConsoleMailResult } from '../../../shared/console-access/types.ts';
import { addDays } from '../../../shared/kernel/time.ts';
import { daysAgo, NOW } from '../../helpers/console-facts.ts';

const TEAM = ['security@example.com'];

/** A run's summary whose counts are computed as the run computes them, from its rows. */
function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  const base: RunSummary = {
    dryRun: false,
    decidedAt: NOW.toISOString(),
    reportGeneratedAt: NOW.toISOString(),
    usersInReport: 10,
    consoleUsers: 4,
    decisions: { none: 1, warn: 2, remove: 1, exempt: 0, skip: 0 },
    guard: { tripped: false, passwordsNeedingAction: 2, passwordsInAccount: 4 },
    budget: { limit: 20, due: 1, tonight: 1, waiting: 0, remaining: 1, clearsOn: '2026-11-30' },
    counts: countPasswords([], { mfa: [], idle: [] }, 0),
    passwords: [
      {
        userName: 'rex',
        decision: 'remove',
        reason: 'unused 60 days',
        lastActivity: daysAgo(60),
        activitySource: 'last sign-in',
        removalDate: daysAgo(15),
        outcome: 'failed',
        detail: 'Throttling',
      },
      {
        userName: 'uma',
        decision: 'warn',
        reason: 'removal on 2026-11-30',
        removalDate: addDays(NOW, 7),
        warningStage: 7,
        outcome: 'reported',
      },
      {
        userName: 'otto',
        decision: 'warn',
        firstNotice: true,
        reason: 'first notice: will be removed on 2026-11-30 (in 7 days), not earlier',
        removalDate: addDays(NOW, 7),
        toldDate: addDays(NOW, 7),
        warningStage: 7,
        outcome: 'reported',
      },
    ],
    mfa: [{ userName: 'mia', withoutMfaSince: daysAgo(30), reminderDue: false, lastReminded: daysAgo(2) }],
    idle: [{ userName: 'ida', lastActivity: daysAgo(200), lastActivitySource: 'access key', idleDays: 200 }],
    failures: [{ userName: 'rex', step: 'remove console password', error: 'Throttling' }],
    ...overrides,
  };
  return { ...base, counts: countPasswords(base.passwords, base, base.failures.length) };
}

const OWNERS: ConsoleMailResult[] = [
  { userName: 'uma', status: 'unreachable', detail: 'no email tag', told: ['warning'] },
  { userName: 'otto', address: 'otto@example.com', status: 'sent', told: ['warning'] },
];

/** The figures of the count tiles, in order. */
function tiles(html: string): { label: string; value: string }[] {
  return [...html.matchAll(/font-size:22px[^>]*>(\d+)<\/div><div[^>]*>([^<]+)<\/div>/g)].map((match) => ({
    value: match[1] ?? '',
    label: match[2] ?? '',
  }));
}

describe('renderConsoleDigest', () => {
  it('lists removals not made, warnings and whether each owner was told, MFA with how long, idle users', () => {
    const mail = renderConsoleDigest(summary(), OWNERS, undefined, NOW, TEAM);

    expect(mail.to).toEqual(TEAM);
    expect(mail.subject).toBe(
      '[key-hygiene] Console access 2026-11-23: 0 removed, 2 warned, 1 remaining for later nights, 1 without MFA, 1 idle, 1 failure',
    );
    expect(mail.html).toContain('Removals not made');
    expect(mail.text).toContain('7-day notice [not mailed: unreachable (no email tag)]');
    expect(mail.text).toContain('first notice [mailed to otto@example.com]');
    expect(mail.html).toContain('Warnings');
    expect(mail.html).toContain('Owners who could not be told');
    expect(mail.html).toContain('2026-10-24</span>');
    expect(mail.html).toContain('>30</td>');
    expect(mail.text).toContain('last reminded 2026-11-21');
    expect(mail.html).toContain('key-hygiene never deletes users');
    // The counts are the summary's, each once: the failed removal is one failure.
    expect(tiles(mail.html)).toEqual([
      { label: 'Removed', value: '0' },
      { label: 'Warned', value: '2' },
      { label: 'Waiting', value: '0' },
      { label: 'Exempt', value: '0' },
      { label: 'Held for review', value: '0' },
      { label: 'Not needed (live check)', value: '0' },
      { label: 'Without MFA', value: '1' },
      { label: 'Idle users', value: '1' },
      { label: 'Failures', value: '1' },
    ]);
    expect(mail.text).toContain(
      'Removed 0, Warned 2, Waiting 0, Exempt 0, Held for review 0, Not needed (live check) 0, Without MFA 1, Idle users 1, Failures 1',
    );
    expect(mail.text).toContain('ida');
    expect(mail.text).toContain('Removals: 1 due tonight, 1 within tonight');
  });

  it('names the account in the subject and the first line when the run knows it', () => {
    const mail = renderConsoleDigest(summary(), OWNERS, undefined, NOW, TEAM, { accountId: '123456789012' });
    expect(mail.subject).toMatch(
      /^\[key-hygiene\] Console access 2026-11-23, account 123456789012: 0 removed/,
    );
    expect(mail.text).toContain('AWS account 123456789012. Decisions as of');
  });

  it('marks a dry run, counting what a real run would remove', () => {
    const dry = summary({
      dryRun: true,
      passwords: [
        {
          userName: 'rex',
          decision: 'remove',
          reason: 'unused',
          removalDate: daysAgo(1),
          outcome: 'dry-run',
        },
      ],
      failures: [],
    });
    const mail = renderConsoleDigest(dry, [], 'dry run', NOW, TEAM);
    expect(mail.subject).toBe(
      '[key-hygiene] DRY RUN: Console access 2026-11-23: 1 would be removed, 0 warned, 1 remaining for later nights, 1 without MFA, 1 idle',
    );
    expect(mail.html).toContain('nothing was changed, recorded or mailed to owners.');
    expect(mail.html).toContain('What a real run would do');
    expect(mail.text).toContain('Owners were not mailed: dry run.');
    expect(tiles(mail.html)[0]).toEqual({ label: 'Would remove', value: '1' });
  });

  it('says why the guard tripped, and never asks for a limit to be raised', () => {
    const reason =
      "9 of the account's 10 console passwords need action tonight (9 removals, 0 first notices): every password at once";
    const tripped = summary({
      guard: { tripped: true, passwordsNeedingAction: 9, passwordsInAccount: 10, reason },
      passwords: [
        {
          userName: 'rex',
          decision: 'remove',
          reason: 'unused',
          removalDate: daysAgo(1),
          outcome: 'held-by-guard',
        },
      ],
      failures: [],
    });
    const mail = renderConsoleDigest(tripped, [], 'the guard tripped', NOW, TEAM);
    expect(mail.subject).toMatch(
      /^\[key-hygiene\] Console access 2026-11-23: GUARD TRIPPED, 1 would be removed/,
    );
    expect(mail.html).toContain('Guard tripped: no password was removed.');
    expect(mail.text).toContain(`!! Guard tripped: no password was removed. ${reason}.`);
    expect(mail.html).toContain('The plan the guard stopped');
    expect(mail.text).not.toContain('MAX_ACTIONS_PER_RUN');
    expect(mail.text).not.toContain('raise the limit');
  });

  it('lists the removals the per-night limit leaves for later nights', () => {
    const waiting = summary({
      passwords: [
        {
          userName: 'rex',
          decision: 'remove',
          reason: 'unused',
          removalDate: daysAgo(1),
          outcome: 'waiting',
          detail:
            'due; left for the night of 2026-11-24 by PASSWORD_REMOVALS_PER_NIGHT, the most overdue first',
        },
      ],
      failures: [],
    });
    const mail = renderConsoleDigest(waiting, [], undefined, NOW, TEAM);
    expect(mail.text).toContain('Waiting for a later night (per-night limit):');
    expect(mail.text).toContain('left for the night of 2026-11-24');
    expect(tiles(mail.html)[2]).toEqual({ label: 'Waiting', value: '1' });
  });
});
