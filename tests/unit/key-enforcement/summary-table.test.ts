import { describe, expect, it } from 'vitest';
import { countKeys } from '../../../shared/key-enforcement/summary.ts';
import { formatSummaryTable } from '../../../shared/key-enforcement/summary-table.ts';
import type { KeyEnforcementSummary, KeySummaryRow } from '../../../shared/key-enforcement/types.ts';
import { nightBudget, WRONG_NIGHT } from '../../helpers/night.ts';
import { runSummary } from '../../helpers/run-summary.ts';

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
  ...runSummary({
    reportGeneratedAt: '2026-11-23T02:59:58.000Z',
    usersInReport: 12,
    decisions: { deactivate: 1, delete: 0, warn: 1, exempt: 0, hold: 0, none: 1 },
    keys,
  }),
  notifications: {
    owners: [
      { userName: 'bob.overdue', address: 'bob@example.com', status: 'sent', keys: [] },
      { userName: 'nina', status: 'unreachable', detail: 'no email tag', keys: [] },
    ],
    chat: { posted: 2, failed: [] },
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
      guard: WRONG_NIGHT,
      findings: [
        { severity: 'critical', subject: '<root_account>', message: 'The root account has an active key.' },
      ],
      failures: [{ userName: 'x', step: 'load keys and tags', error: 'IamAccountError: boom' }],
    });
    expect(text).toContain('DRY RUN (nothing changed)');
    expect(text).toContain(
      'GUARD TRIPPED, no key was changed: 10 of the account’s 10 access keys need action tonight.',
    );
    expect(text).toContain('CRITICAL: <root_account>: The root account has an active key.');
    expect(text).toContain('x: load keys and tags: IamAccountError: boom');
  });

  it('says what tonight’s limits took, what waits, and when the backlog clears', () => {
    const text = formatSummaryTable({
      ...base,
      budget: nightBudget({ due: 3, tonight: 2, waiting: 1, remaining: 1, clearsOn: '2026-11-24' }),
    });
    expect(text).toContain(
      "Deactivations: 3 due tonight, 2 within tonight's limit of 50 (MAX_DEACTIVATIONS_PER_NIGHT); 1 remain (1 due and waiting, the most overdue first): at 50 a night the backlog clears on the night of 2026-11-24, unless more fall due.",
    );
    expect(text).toContain(
      "Deletions: 0 due tonight, 0 within tonight's limit of 20 (MAX_DELETIONS_PER_NIGHT); none remain.",
    );
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
        chat: { posted: 0, failed: [], skipped: 'CHAT_TOPIC_ARN is not set: no chat message was posted' },
        digest: { status: 'skipped', reason: 'SENDER_EMAIL is not set: no mail was sent' },
      },
    });
    expect(off).toContain('Owner mail: none sent (SENDER_EMAIL is not set: no mail was sent).');
    expect(off).toContain('Security team digest: not sent (SENDER_EMAIL is not set: no mail was sent).');
    expect(off).toContain('Chat: nothing posted (CHAT_TOPIC_ARN is not set: no chat message was posted).');
  });

  it('says how many chat messages were posted, and which failed with what error', () => {
    expect(formatSummaryTable(base)).toContain('Chat: 2 message(s) posted.');
    const failed = formatSummaryTable({
      ...base,
      notifications: {
        ...base.notifications,
        chat: {
          posted: 1,
          failed: [
            { title: 'Critical finding', error: 'NotFoundException: Topic does not exist' },
            { title: 'Critical finding', error: 'NotFoundException: Topic does not exist' },
          ],
        },
      },
    });
    expect(failed).toContain('Chat: 2 of 3 message(s) FAILED: NotFoundException: Topic does not exist.');
  });

  it('writes the decision clock and the report time as people write dates', () => {
    const lines = formatSummaryTable(base).split('\n');
    expect(lines[0]).toBe('key-hygiene enforced, decisions as of 2026-11-23 03:00 UTC');
    expect(lines[1]).toBe('report of 2026-11-23 02:59:58 UTC: 12 users, 3 looked at closely');
  });

  it('counts what became of the keys as the digest does', () => {
    expect(formatSummaryTable(base).split('\n')[2]).toBe(
      'Deactivated 1, Deleted 0, Warned 1, Exempt 0, Held for review 0, Not needed (live check) 0, Failures 0',
    );
  });

  it('shows a key held for review and a change not needed in words of their own', () => {
    const rows: KeySummaryRow[] = [
      { ...keys[0], userName: 'hal', decision: 'hold', outcome: 'reported' } as KeySummaryRow,
      {
        ...keys[0],
        userName: 'sam',
        outcome: 'skipped',
        detail: 'the key no longer exists',
      } as KeySummaryRow,
    ];
    const lines = formatSummaryTable({ ...base, keys: rows, counts: countKeys(rows, 0) }).split('\n');
    expect(lines.find((line) => line.startsWith('hal'))).toMatch(/\sheld for review\s+reported\s/);
    expect(lines.find((line) => line.startsWith('sam'))).toMatch(
      /\sdeactivate\s+not needed \(live check\)\s+active key .* \[the key no longer exists\]$/,
    );
    expect(lines[2]).toContain('Held for review 1, Not needed (live check) 1');
  });
});
