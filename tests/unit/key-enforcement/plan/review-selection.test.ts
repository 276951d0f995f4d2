import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../../../shared/credential-report/parse-report.ts';
import { selectUsersForReview } from '../../../../shared/key-enforcement/plan/review-selection.ts';
import { reportCsv, reportTime, sampleReportCsv } from '../../../helpers/credential-report-csv.ts';
import { DEFAULT_SETTINGS, daysAgo, NOW } from '../../../helpers/key-facts.ts';

const activeKey = (ageDays: number, lastUsedDaysAgo?: number) => ({
  access_key_1_active: 'true',
  access_key_1_last_rotated: reportTime(daysAgo(ageDays)),
  access_key_1_last_used_date: lastUsedDaysAgo === undefined ? 'N/A' : reportTime(daysAgo(lastUsedDaysAgo)),
});

describe('selectUsersForReview', () => {
  it.each([
    { case: 'a fresh active key', row: activeKey(10), selected: false },
    { case: 'an active key one day before the warning window', row: activeKey(75), selected: false },
    { case: 'an active key in the warning window', row: activeKey(76), selected: true },
    { case: 'an overdue active key', row: activeKey(200), selected: true },
    {
      case: 'an old key in slot 2 only',
      row: { access_key_2_active: 'true', access_key_2_last_rotated: reportTime(daysAgo(120)) },
      selected: true,
    },
    {
      case: 'an inactive key with its creation date',
      row: { access_key_1_active: 'false', access_key_1_last_rotated: reportTime(daysAgo(5)) },
      selected: true,
    },
    {
      case: 'an inactive key shown only by its last use (last_rotated N/A)',
      row: { access_key_1_active: 'false', access_key_1_last_used_date: reportTime(daysAgo(50)) },
      selected: true,
    },
    { case: 'no keys at all', row: {}, selected: false },
  ])('selects a user with $case: $selected', ({ row, selected }) => {
    const rows = parseCredentialReport(reportCsv([{ user: 'u', ...row }])).rows;
    expect(selectUsersForReview(rows, DEFAULT_SETTINGS, NOW)).toEqual(selected ? ['u'] : []);
  });

  it('selects by the unused rule only when it is on', () => {
    const rows = parseCredentialReport(reportCsv([{ user: 'u', ...activeKey(40, 35) }])).rows;
    expect(selectUsersForReview(rows, DEFAULT_SETTINGS, NOW)).toEqual([]);
    expect(selectUsersForReview(rows, { ...DEFAULT_SETTINGS, unusedDays: 30 }, NOW)).toEqual(['u']);
    expect(selectUsersForReview(rows, { ...DEFAULT_SETTINGS, unusedDays: 60 }, NOW)).toEqual([]);
  });

  it('counts a never-used key as unused since its creation', () => {
    const rows = parseCredentialReport(reportCsv([{ user: 'u', ...activeKey(40) }])).rows;
    expect(selectUsersForReview(rows, { ...DEFAULT_SETTINGS, unusedDays: 30 }, NOW)).toEqual(['u']);
  });

  it('never selects the root account, whatever its keys', () => {
    const rows = parseCredentialReport(sampleReportCsv()).rows;
    const selected = selectUsersForReview(rows, DEFAULT_SETTINGS, NOW);
    expect(selected).not.toContain('<root_account>');
    // alice's key dates from June, build-bot's first key from 2025, first.last's key is inactive,
    // legacy-etl's key is years old; carol has no key.
    expect(selected).toEqual(['alice', 'build-bot', 'first.last+ops@corp.example', 'legacy-etl']);
  });
});
