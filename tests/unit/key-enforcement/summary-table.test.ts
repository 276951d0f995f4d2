import { describe, expect, it } from 'vitest';
import { countKeys } from '../../../shared/key-enforcement/summary.ts';
import { formatSummaryTable } from '../../../shared/key-enforcement/summary-table.ts';
import type { KeyEnforcementSummary, KeySummaryRow } from '../../../shared/key-enforcement/types.ts';

const keys: KeySummaryRow[] = [
  {
    userName: 'bob.overdue',
    accessKeyId: 'AKIABOB0000000000001',
    ageDays: 120,
    decision: 'deactivate',
    reason: 'active key 120 days old, limit 90: deactivate',
    outcome: 'done',
  },
  {
    userName: 'nina',
    accessKeyId: 'AKIANINA000000000001',
    ageDays: 80,
    decision: 'warn',
    reason: 'will be deactivated on 2026-12-03 (in 10 days): 80 days old, limit 90',
    outcome: 'reported',
  },
];

const base: KeyEnforcementSummary = {
  dryRun: false,
  decidedAt: '2026-11-23T03:00:00.000Z',
  reportGeneratedAt: '2026-11-23T02:59:58.000Z',
  usersInReport: 12,
  usersReviewed: 3,
  guard: { limit: 50, planned: 1, tripped: false },
  decisions: { deactivate: 1, delete: 0, warn: 1, exempt: 0, hold: 0, none: 1 },
  outcomes: { done: 1, skipped: 0, failed: 0, 'dry-run': 0, 'held-by-guard': 0, reported: 1 },
  counts: countKeys(keys, 0),
  keys,
  recordChanges: [],
  findings: [],
  failures: [],
  notifications: {
    owners: [
      { userName: 'bob.overdue', address: 'bob@example.com', status: 'sent', keys: [] },
      { userName: 'nina', status: 'unreachable', detail: 'no email tag', keys: [] },
    ],
    digest: { status: 'sent', messageId: 'm-1' },
  },
  audit: { published: 2, failed: [] },
};

describe('formatSummaryTable', () => {
  it('prints one aligned row per key with user, key, age, decision, outcome and reason', () => {
    const lines = formatSummaryTable(base).split('\n');
    const header = lines.find((line) => line.startsWith('USER'));
    expect(header).toMatch(/^USER\s+KEY\s+AGE\s+DECISION\s+OUTCOME\s+REASON$/);
    const bob = lines.find((line) => line.startsWith('bob.overdue'));
    expect(bob).toMatch(
      /^bob\.overdue\s+AKIABOB0000000000001\s+120d\s+deactivate\s+done\s+active key 120 days old/,
    );
    // Columns line up: the key id starts at the same place on every row.
    const nina = lines.find((line) => line.startsWith('nina'));
    expect(nina?.indexOf('AKIANINA')).toBe(bob?.indexOf('AKIABOB'));
  });

  it('says so when nothing needs attention', () => {
    expect(formatSummaryTable({ ...base, keys: [] })).toContain('No key needs attention.');
  });

  it('announces a dry run, a tripped guard, findings and failures', () => {
    const text = formatSummaryTable({
      ...base,
      dryRun: true,
      guard: { limit: 1, planned: 2, tripped: true },
      findings: [
        { severity: 'critical', subject: '<root_account>', message: 'The root account has an active key.' },
      ],
      failures: [{ userName: 'x', step: 'load keys and tags', error: 'IamAccountError: boom' }],
    });
    expect(text).toContain('DRY RUN (nothing changed)');
    expect(text).toContain('GUARD TRIPPED: 2 deactivations + deletions planned, limit 1: none were made');
    expect(text).toContain('CRITICAL: <root_account>: The root account has an active key.');
    expect(text).toContain('x: load keys and tags: IamAccountError: boom');
  });

  it('says who was mailed, who could not be, and whether the digest went out', () => {
    const text = formatSummaryTable(base);
    expect(text).toContain('Owner mail: 1 of 2 owner(s) mailed.');
    expect(text).toContain('  nina: unreachable: no email tag');
    expect(text).toContain('Security team digest: sent.');
    const off = formatSummaryTable({
      ...base,
      notifications: {
        owners: [],
        ownersNotMailed: 'SENDER_EMAIL is not set: no mail was sent',
        digest: { status: 'skipped', reason: 'SENDER_EMAIL is not set: no mail was sent' },
      },
    });
    expect(off).toContain('Owner mail: none sent (SENDER_EMAIL is not set: no mail was sent).');
    expect(off).toContain('Security team digest: not sent (SENDER_EMAIL is not set: no mail was sent).');
  });
});
