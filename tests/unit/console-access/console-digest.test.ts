import { describe, expect, it } from 'vitest';
import { renderConsoleDigest } from '../../../shared/console-access/notify/console-digest.ts';
import type { RunSummary } from '../../../shared/console-access/summary.ts';
import { daysAgo, NOW } from '../../helpers/console-facts.ts';

const TEAM = ['security@example.com'];

function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    dryRun: false,
    decidedAt: NOW.toISOString(),
    reportGeneratedAt: NOW.toISOString(),
    usersInReport: 10,
    consoleUsers: 4,
    decisions: { none: 1, warn: 1, remove: 1, exempt: 0, skip: 0 },
    guard: { tripped: false, due: 1, limit: 50 },
    passwords: [
      {
        userName: 'rex',
        decision: 'remove',
        reason: 'unused 60 days',
        outcome: 'failed',
        detail: 'Throttling',
      },
      {
        userName: 'uma',
        decision: 'warn',
        reason: 'removal on 2026-11-30',
        warningStage: 7,
        outcome: 'reported',
      },
    ],
    mfa: [{ userName: 'mia', withoutMfaSince: daysAgo(30), reminderDue: false, lastReminded: daysAgo(2) }],
    idle: [{ userName: 'ida', lastActivity: daysAgo(200), lastActivitySource: 'access key', idleDays: 200 }],
    failures: [{ userName: 'rex', step: 'remove console password', error: 'Throttling' }],
    ...overrides,
  };
}

describe('renderConsoleDigest', () => {
  it('lists removals not made, warnings and whether each owner was told, MFA with how long, idle users', () => {
    const owners = [
      { userName: 'uma', status: 'unreachable' as const, detail: 'no email tag', told: ['warning' as const] },
    ];
    const mail = renderConsoleDigest(summary(), owners, undefined, NOW, TEAM);

    expect(mail.to).toEqual(TEAM);
    expect(mail.subject).toBe(
      'key-hygiene console access 2026-11-23: 0 password(s) removed, 1 warned, 1 without MFA, 1 idle',
    );
    expect(mail.html).toContain('Removals not made tonight');
    expect(mail.html).toContain('no: unreachable');
    expect(mail.html).toContain('Owners who could not be told');
    expect(mail.html).toContain('2026-10-24</td>');
    expect(mail.html).toContain('>30</td>');
    expect(mail.html).toContain('last reminded 2026-11-21');
    expect(mail.html).toContain('key-hygiene never deletes users');
    // The counts: one failure (the removal that failed), counted once.
    const counts = /<tr>((?:<td[^>]*>\d+<\/td>)+)<\/tr>/.exec(mail.html)?.[1] ?? '';
    expect([...counts.matchAll(/>(\d+)</g)].map((match) => match[1])).toEqual([
      '0',
      '1',
      '0',
      '0',
      '1',
      '1',
      '1',
    ]);
    expect(mail.text).toContain('ida (200 days)');
  });

  it('marks a dry run and a tripped guard', () => {
    const mail = renderConsoleDigest(
      summary({ dryRun: true, guard: { tripped: true, due: 60, limit: 50 } }),
      [],
      'dry run',
      NOW,
      TEAM,
    );
    expect(mail.subject).toMatch(/^\[DRY RUN\] /);
    expect(mail.html).toContain('Guard tripped: no password was removed.');
    expect(mail.html).toContain('Owners were not mailed: dry run.');
    expect(mail.text).toContain('GUARD TRIPPED: 60 removals due, limit 50: none made.');
  });
});
