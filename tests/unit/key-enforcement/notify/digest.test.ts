import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../../../shared/credential-report/parse-report.ts';
import { renderDigest } from '../../../../shared/key-enforcement/notify/digest.ts';
import {
  buildDigest,
  type DigestInput,
  type DigestSection,
} from '../../../../shared/key-enforcement/notify/digest-data.ts';
import { keyAgeBuckets } from '../../../../shared/key-enforcement/notify/key-age-chart.ts';
import type { KeyDecision, RunSummary } from '../../../../shared/key-enforcement/types.ts';
import { reportCsv, reportTime, sampleReportCsv } from '../../../helpers/credential-report-csv.ts';
import { DEFAULT_SETTINGS, daysAgo, NOW } from '../../../helpers/key-facts.ts';
import { nightBudget, WRONG_NIGHT } from '../../../helpers/night.ts';
import { runSummary, summaryRow, warnedRow } from '../../../helpers/run-summary.ts';
import { visibleText } from '../../../helpers/visible-text.ts';

const row = summaryRow;
const warned = warnedRow;

function input(
  overrides: Partial<Omit<RunSummary, 'counts'>> = {},
  rest: Partial<DigestInput> = {},
): DigestInput {
  const summary = runSummary({
    decisions: { deactivate: 1, delete: 0, warn: 1, exempt: 1, hold: 0, none: 0 },
    outcomes: { done: 1, skipped: 0, failed: 0, 'dry-run': 0, 'held-by-guard': 0, waiting: 0, reported: 2 },
    keys: [
      row({}),
      warned,
      row({ userName: 'eve', accessKeyId: 'AKIAEVE0000000000001', decision: 'exempt', outcome: 'reported' }),
    ],
    ...overrides,
  });
  return {
    summary,
    rows: parseCredentialReport(sampleReportCsv()).rows,
    decisions: [
      { accessKeyId: 'AKIAEVE0000000000001', exemptUntil: new Date('2027-01-01T00:00:00Z') } as KeyDecision,
    ],
    ownerMail: [
      {
        userName: 'nina',
        address: 'nina@corp.example',
        status: 'sent',
        keys: [{ accessKeyId: 'AKIANINA000000000001', notice: 'warning' }],
      },
      {
        userName: 'bob',
        status: 'unreachable',
        detail: 'no email tag',
        keys: [{ accessKeyId: 'AKIABOB0000000000001', notice: 'deactivated' }],
      },
    ],
    ownerMailNote: undefined,
    settings: DEFAULT_SETTINGS,
    now: NOW,
    to: ['security@corp.example'],
    ...rest,
  };
}

describe('the digest subject', () => {
  it.each([
    {
      case: 'a normal run',
      overrides: {},
      subject: '[key-hygiene] Nightly report 2026-11-23: 1 deactivated, 0 deleted, 1 warned',
    },
    {
      case: 'a dry run',
      overrides: { dryRun: true, keys: [row({ outcome: 'dry-run' }), warned] },
      subject:
        '[key-hygiene] DRY RUN: Nightly report 2026-11-23: 1 would be deactivated, 0 would be deleted, 1 warned',
    },
    {
      case: 'a tripped guard',
      overrides: { guard: WRONG_NIGHT, keys: [row({ outcome: 'held-by-guard' }), warned] },
      subject:
        '[key-hygiene] Nightly report 2026-11-23: GUARD TRIPPED, 1 would be deactivated, 0 would be deleted, 1 warned',
    },
    {
      case: 'a backlog: tonight’s share deactivated, the rest remaining',
      overrides: {
        decisions: { deactivate: 30, delete: 0, warn: 1, exempt: 1, hold: 0, none: 0 },
        budget: nightBudget({ due: 30, tonight: 10, waiting: 20, remaining: 20, clearsOn: '2026-11-25' }),
        keys: [...Array.from({ length: 10 }, () => row({})), warned],
      },
      subject:
        '[key-hygiene] Nightly report 2026-11-23: 10 deactivated, 0 deleted, 1 warned, 20 remaining for later nights',
    },
    {
      case: 'failures',
      overrides: { failures: [{ step: 'x', error: 'y' }] },
      subject: '[key-hygiene] Nightly report 2026-11-23: 1 deactivated, 0 deleted, 1 warned, 1 failure',
    },
  ])('reads right for $case', ({ overrides, subject }) => {
    const digest = buildDigest(input(overrides));
    expect(digest.subject).toBe(subject);
    expect(`[key-hygiene] ${digest.title}`).toBe(subject);
  });

  it.each([
    [{ accountId: '111111111111', alias: 'payments-prod' }, ', account 111111111111 (payments-prod):'],
    [{ accountId: '111111111111' }, ', account 111111111111:'],
  ])('names the account %j', (account, named) => {
    expect(buildDigest(input({}, { account })).subject).toBe(
      `[key-hygiene] Nightly report 2026-11-23${named} 1 deactivated, 0 deleted, 1 warned`,
    );
  });
});

describe('renderDigest names the account', () => {
  it('in both parts when it is known, and not at all otherwise', () => {
    const named = renderDigest(input({}, { account: { accountId: '111111111111', alias: 'payments-prod' } }));
    const unnamed = renderDigest(input());

    for (const part of [named.html, named.text])
      expect(part).toContain('AWS account 111111111111 (payments-prod).');
    for (const part of [unnamed.html, unnamed.text]) expect(part).not.toContain('AWS account');
  });
});

describe('renderDigest', () => {
  it('lists actions, warnings with their notice, exempt keys with their end, unreachable owners, root findings and users without MFA', () => {
    const mail = renderDigest(
      input({
        findings: [
          {
            severity: 'critical',
            subject: '<root_account>',
            message: 'The root account has an active access key.',
          },
        ],
      }),
    );
    for (const part of [visibleText(mail.html), mail.text]) {
      expect(part).toContain('Actions taken');
      expect(part).toContain('AKIABOB0000000000001');
      expect(part).toContain('mailed to nina@corp.example');
      expect(part).toContain('2026-12-31 (end of that day, UTC)');
      expect(part).toContain('no email tag');
      expect(part).toContain('The root account has an active access key.');
      // From the sample report: console users without MFA.
      expect(part).toContain('first.last+ops@corp.example');
      expect(part).toContain('carol');
      expect(part).toContain('Active keys by age');
    }
    expect(mail.to).toEqual(['security@corp.example']);
  });

  it('shows the plan a tripped guard stopped', () => {
    const mail = renderDigest(input({ guard: WRONG_NIGHT, keys: [row({ outcome: 'held-by-guard' })] }));
    expect(mail.html).toContain('Guard tripped: no key was changed.');
    expect(mail.html).toContain('The plan the guard stopped');
    expect(mail.text).toContain(
      '!! Guard tripped: no key was changed. 10 of the account’s 10 access keys need action tonight.',
    );
  });

  it('says how many keys remain, when the backlog clears, and lists the keys waiting', () => {
    const mail = renderDigest(
      input({
        budget: nightBudget({ due: 2, tonight: 1, waiting: 1, remaining: 1, clearsOn: '2026-11-24' }),
        keys: [
          row({}),
          row({
            userName: 'wanda',
            accessKeyId: 'AKIAWANDA00000000001',
            outcome: 'waiting',
            detail:
              'left for a later night by MAX_DEACTIVATIONS_PER_NIGHT, the most overdue first: expected on 2026-11-24',
          }),
        ],
      }),
    );
    const line =
      "Deactivations: 2 due tonight, 1 within tonight's limit of 50 (MAX_DEACTIVATIONS_PER_NIGHT); 1 remain (1 due and waiting, the most overdue first): at 50 a night the backlog clears on the night of 2026-11-24, unless more fall due.";
    expect(mail.text).toContain(line);
    expect(mail.html).toContain(line.replace("tonight's", 'tonight&#39;s'));
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('Waiting for a later night (per-night limits)');
      expect(part).toContain('AKIAWANDA00000000001');
    }
  });

  it('says why owners were not mailed', () => {
    const mail = renderDigest(
      input(
        { dryRun: true, keys: [row({ outcome: 'dry-run' })] },
        { ownerMail: [], ownerMailNote: 'this is a dry run' },
      ),
    );
    expect(mail.text).toContain('Owners were not mailed: this is a dry run.');
    expect(mail.text).toContain('What a real run would do:');
  });

  it('says when chat messages could not be posted, with the error, and nothing when all were', () => {
    const failed = renderDigest(
      input(
        {},
        {
          chat: {
            posted: 1,
            failed: [
              { title: 'Critical finding', error: 'NotFoundException: Topic does not exist' },
              { title: 'Critical finding', error: 'NotFoundException: Topic does not exist' },
            ],
          },
        },
      ),
    );
    const posted = renderDigest(input({}, { chat: { posted: 2, failed: [] } }));

    expect(failed.text).toContain(
      "Chat: 2 of 3 message(s) could not be posted. NotFoundException: Topic does not exist. Nothing else of tonight's run depends on chat",
    );
    expect(visibleText(failed.html)).toContain('Chat: 2 of 3 message(s) could not be posted.');
    expect(posted.text).not.toContain('Chat:');
  });

  it('escapes account data in HTML', () => {
    const mail = renderDigest(input({ keys: [row({ userName: '<b onmouseover=x>', reason: '<script>' })] }));
    expect(mail.html).not.toContain('<b onmouseover=x>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
  });

  it('attaches every key of the account as CSV, joined to tonight’s decisions, formulas defused', () => {
    const rows = parseCredentialReport(
      reportCsv([
        { user: 'bob', access_key_1_active: 'true', access_key_1_last_rotated: reportTime(daysAgo(120)) },
        {
          user: '=1+2@x',
          access_key_1_active: 'true',
          access_key_1_last_rotated: reportTime(daysAgo(5)),
        },
        { user: 'carol' },
      ]),
    ).rows;
    const decisions = [
      {
        userName: 'bob',
        accessKeyId: 'AKIABOB0000000000001',
        createDate: daysAgo(120),
        decision: 'deactivate',
        reason: 'old',
      } as KeyDecision,
    ];
    const mail = renderDigest(input({}, { rows, decisions }));
    const [attachment] = mail.attachments ?? [];
    expect(attachment?.filename).toBe('key-inventory-2026-11-23.csv');
    const records: Record<string, string>[] = parse(String(attachment?.content), { columns: true });
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      user: 'bob',
      access_key_id: 'AKIABOB0000000000001',
      age_days: '120',
      decision: 'deactivate',
    });
    expect(records[1]).toMatchObject({ user: `'=1+2@x`, decision: 'not due' });
  });
});

describe('keyAgeBuckets', () => {
  it('counts active keys in buckets drawn from the policy', () => {
    const rows = parseCredentialReport(
      reportCsv(
        [5, 40, 80, 95, 200, 400, 400].map((age, index) => ({
          user: `u${index}`,
          access_key_1_active: 'true',
          access_key_1_last_rotated: reportTime(daysAgo(age)),
        })),
      ),
    ).rows;
    expect(keyAgeBuckets(rows, DEFAULT_SETTINGS, NOW).map((b) => [b.label, b.count])).toEqual([
      ['0–30 days', 1],
      ['31–75 days', 1],
      ['76–90 days (due soon)', 1],
      ['91–365 days (overdue)', 2],
      ['over 365 days', 2],
    ]);
  });
});

/** A section as a reader meets it: its title, or what it is. */
function heading(section: DigestSection): string {
  switch (section.kind) {
    case 'alert':
      return section.headline;
    case 'counts':
      return 'counts';
    case 'note':
      return section.text;
    case 'lines':
      return 'budget';
    default:
      return section.title;
  }
}

describe('buildDigest', () => {
  const exempt = row({
    userName: 'eve',
    accessKeyId: 'AKIAEVE0000000000001',
    decision: 'exempt',
    outcome: 'reported',
  });
  const held = row({
    userName: 'hal',
    accessKeyId: 'AKIAHAL0000000000001',
    decision: 'hold',
    outcome: 'reported',
  });
  const chart = 'Active keys by age (from the credential report, before tonight’s changes)';
  const noMfa = 'Console users without MFA (2)';

  it.each([
    {
      case: 'a run that deactivated, warned and exempted',
      summary: {},
      headings: [
        'counts',
        'budget',
        'Actions taken',
        'Warnings',
        'Owners who could not be told',
        'Exempt keys',
        noMfa,
        chart,
      ],
    },
    {
      case: 'a dry run',
      summary: { dryRun: true, keys: [row({ outcome: 'dry-run' })] },
      rest: { ownerMail: [], ownerMailNote: 'this is a dry run' },
      headings: [
        'Dry run:',
        'counts',
        'budget',
        'What a real run would do',
        'Owners were not mailed: this is a dry run.',
        noMfa,
        chart,
      ],
    },
    {
      case: 'a tripped guard',
      summary: { guard: WRONG_NIGHT, keys: [row({ outcome: 'held-by-guard' })] },
      rest: { ownerMail: [] },
      headings: [
        'Guard tripped: no key was changed.',
        'counts',
        'budget',
        'The plan the guard stopped',
        noMfa,
        chart,
      ],
    },
    {
      case: 'changes that failed or were not needed',
      summary: {
        keys: [
          row({ outcome: 'failed', detail: 'AccessDenied' }),
          row({ outcome: 'skipped', detail: 'the key no longer exists' }),
        ],
        failures: [
          { userName: 'bob', accessKeyId: 'AKIABOB0000000000001', step: 'deactivate', error: 'AccessDenied' },
        ],
      },
      rest: { ownerMail: [] },
      headings: ['counts', 'budget', 'Actions not taken', noMfa, 'Failures', chart],
    },
    {
      case: 'a key held for review and a finding',
      summary: {
        keys: [held],
        findings: [{ severity: 'warning' as const, subject: 'hal', message: 'exempt tag unreadable' }],
      },
      rest: { ownerMail: [] },
      headings: [
        'counts',
        'budget',
        'Held for review (the exempt tag cannot be read)',
        'Findings',
        noMfa,
        chart,
      ],
    },
    {
      case: 'an exempt key alone',
      summary: { keys: [exempt] },
      rest: { ownerMail: [] },
      headings: ['counts', 'budget', 'Exempt keys', noMfa, chart],
    },
  ])('shows, for $case, the sections $headings', ({ summary, rest, headings }) => {
    expect(buildDigest(input(summary, rest)).sections.map(heading)).toEqual(headings);
  });

  it.each([
    {
      case: 'a real run',
      summary: { keys: [row({}), row({ decision: 'delete', outcome: 'done' }), warned, exempt, held] },
      counts: [
        'Deactivated 1',
        'Deleted 1',
        'Warned 1',
        'Exempt 1',
        'Held for review 1',
        'Not needed (live check) 0',
        'Failures 0',
      ],
    },
    {
      case: 'a dry run',
      summary: {
        dryRun: true,
        keys: [row({ outcome: 'dry-run' }), row({ decision: 'delete', outcome: 'dry-run' })],
      },
      counts: [
        'Would deactivate 1',
        'Would delete 1',
        'Warned 0',
        'Exempt 0',
        'Held for review 0',
        'Not needed (live check) 0',
        'Failures 0',
      ],
    },
    {
      case: 'a tripped guard',
      summary: {
        guard: WRONG_NIGHT,
        keys: [row({ outcome: 'held-by-guard' }), row({ outcome: 'held-by-guard' })],
      },
      counts: [
        'Would deactivate 2',
        'Would delete 0',
        'Warned 0',
        'Exempt 0',
        'Held for review 0',
        'Not needed (live check) 0',
        'Failures 0',
      ],
    },
  ])('counts what became of the keys in $case', ({ summary, counts }) => {
    const [section] = buildDigest(input(summary)).sections.filter((part) => part.kind === 'counts');
    expect(section?.kind === 'counts' && section.items.map((item) => `${item.label} ${item.value}`)).toEqual(
      counts,
    );
  });

  it('writes the decision clock and the report time as people write dates', () => {
    const digest = buildDigest(
      input({ decidedAt: '2026-11-23T03:00:00.000Z', reportGeneratedAt: '2026-11-23T02:59:58.000Z' }),
    );
    expect(digest.intro).toBe(
      'Decisions as of 2026-11-23 03:00 UTC; credential report of 2026-11-23 02:59:58 UTC; 6 users, 3 looked at closely.',
    );
  });
});

describe('renderDigest: words a reader cannot confuse', () => {
  it('shows a key held for review and a change the live check found not needed in words of their own', () => {
    const mail = renderDigest(
      input({
        keys: [
          row({ userName: 'hal', decision: 'hold', outcome: 'reported' }),
          row({ userName: 'sam', outcome: 'skipped', detail: 'the key no longer exists' }),
        ],
      }),
    );
    for (const part of [visibleText(mail.html), mail.text]) {
      expect(part).toContain('held for review');
      expect(part).toContain('not needed (live check)');
      expect(part).not.toMatch(/\bskip(ped)?\b/i);
      expect(part).not.toMatch(/\bHeld\b(?! for review)/);
    }
    expect(mail.text).toMatch(
      /^sam\s+AKIABOB0000000000001\s+120d\s+deactivate\s+not needed \(live check\)\s+active key 120 days old.* \[the key no longer exists\]$/m,
    );
  });

  it('prints no raw timestamp in the HTML or the text (the CSV keeps them)', () => {
    const mail = renderDigest(
      input(
        {},
        {
          decisions: [
            {
              accessKeyId: 'AKIAEVE0000000000001',
              exemptUntil: new Date('2027-01-01T17:30:00Z'),
            } as KeyDecision,
          ],
        },
      ),
    );
    for (const part of [visibleText(mail.html), mail.text]) {
      expect(part).toContain('2027-01-01 17:30 UTC');
      expect(part).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });
});
