import { describe, expect, it } from 'vitest';
import {
  checkConsoleNight,
  consolePasswordsInReport,
} from '../../../shared/console-access/plan/night-guard.ts';
import type { PasswordDecision } from '../../../shared/console-access/types.ts';
import { parseCredentialReport } from '../../../shared/credential-report/parse-report.ts';
import { sampleReportCsv } from '../../helpers/credential-report-csv.ts';

const decisions = (removals: number, firstNotices: number, others: number): PasswordDecision[] => [
  ...Array.from({ length: removals }, (_, index) => ({
    userName: `r${index}`,
    decision: 'remove' as const,
    reason: 'unused',
  })),
  ...Array.from({ length: firstNotices }, (_, index) => ({
    userName: `f${index}`,
    decision: 'warn' as const,
    firstNotice: true as const,
    reason: 'never warned',
  })),
  ...Array.from({ length: others }, (_, index) => ({
    userName: `o${index}`,
    decision: 'warn' as const,
    reason: 'removal ahead',
  })),
];

describe('checkConsoleNight', () => {
  it.each([
    {
      case: 'a backlog within one night',
      removals: 9,
      firstNotices: 0,
      others: 0,
      inAccount: 10,
      limit: 20,
      tripped: false,
    },
    {
      case: 'every password of a small account, beyond the limit',
      removals: 9,
      firstNotices: 0,
      others: 0,
      inAccount: 10,
      limit: 5,
      tripped: true,
    },
    {
      case: 'a busy night: a third of the account',
      removals: 30,
      firstNotices: 10,
      others: 0,
      inAccount: 120,
      limit: 20,
      tripped: false,
    },
    {
      case: 'every password at once: first notices count',
      removals: 0,
      firstNotices: 95,
      others: 0,
      inAccount: 100,
      limit: 20,
      tripped: true,
    },
    {
      case: 'just under nine in ten',
      removals: 40,
      firstNotices: 49,
      others: 0,
      inAccount: 100,
      limit: 20,
      tripped: false,
    },
    {
      case: 'ordinary warnings do not count',
      removals: 10,
      firstNotices: 0,
      others: 90,
      inAccount: 100,
      limit: 5,
      tripped: false,
    },
    {
      case: 'nothing due, removals paused',
      removals: 0,
      firstNotices: 0,
      others: 0,
      inAccount: 5,
      limit: 0,
      tripped: false,
    },
  ])('$case: tripped $tripped', ({ removals, firstNotices, others, inAccount, limit, tripped }) => {
    const guard = checkConsoleNight(decisions(removals, firstNotices, others), inAccount, limit);
    expect(guard).toMatchObject({
      tripped,
      passwordsNeedingAction: removals + firstNotices,
      passwordsInAccount: inAccount,
    });
    expect(guard.reason !== undefined).toBe(tripped);
  });

  it('says why, naming the limit and what to check, never the retired MAX_ACTIONS_PER_RUN', () => {
    const guard = checkConsoleNight(decisions(60, 35, 0), 100, 20);
    expect(guard.reason).toBe(
      "95 of the account's 100 console passwords need action tonight (60 removals, 35 first notices): every password at once (90% or more) and more than one night's limit (20 removals, PASSWORD_REMOVALS_PER_NIGHT). A busy night works a backlog off over the nights ahead; every password at once looks like a wrong clock, a wrong PASSWORD_UNUSED_DAYS, or a wrong report",
    );
    expect(guard.reason).not.toContain('MAX_ACTIONS_PER_RUN');
  });
});

describe('consolePasswordsInReport', () => {
  it('counts the users with a console password, the root account apart', () => {
    const { rows } = parseCredentialReport(sampleReportCsv());
    const expected = rows.filter((row) => !row.isRoot && row.passwordEnabled === true).length;
    expect(expected).toBeGreaterThan(0);
    expect(consolePasswordsInReport(rows)).toBe(expected);
    expect(rows.some((row) => row.isRoot)).toBe(true);
  });
});
