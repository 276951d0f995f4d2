import { describe, expect, it } from 'vitest';
import { CONSOLE_ACCESS_DEFAULTS, loadConsoleAccessConfig } from '../../../shared/console-access/config.ts';
import { ConfigError } from '../../../shared/kernel/errors.ts';

describe('loadConsoleAccessConfig', () => {
  it('defaults to CIS 1.12: 45 days unused, warnings at 14, 7 and 1 days, a first notice 7 days out, 20 removals a night, weekly MFA reminders, 90 idle days', () => {
    const config = loadConsoleAccessConfig({});
    expect(config.settings).toEqual({
      passwordUnusedDays: 45,
      passwordWarningNoticeDays: [14, 7, 1],
      passwordFirstNoticeDays: 7,
      passwordRemovalsPerNight: 20,
      mfaReminderDays: 7,
      userIdleDays: 90,
      exemptTag: CONSOLE_ACCESS_DEFAULTS.exemptTag,
    });
    expect(config).toEqual({
      settings: config.settings,
      dryRun: false,
      now: undefined,
      eventBusName: 'default',
    });
  });

  it('reads every setting', () => {
    const config = loadConsoleAccessConfig({
      PASSWORD_UNUSED_DAYS: '90',
      PASSWORD_WARNING_NOTICE_DAYS: '3, 30,10',
      PASSWORD_FIRST_NOTICE_DAYS: '1',
      PASSWORD_REMOVALS_PER_NIGHT: '0',
      MFA_REMINDER_DAYS: '0',
      USER_IDLE_DAYS: '0',
      EXEMPT_TAG: 'exempt',
      DRY_RUN: 'TRUE',
      KEY_HYGIENE_NOW: '2026-12-24',
      EVENT_BUS_NAME: 'security-audit',
    });
    expect(config.settings).toEqual({
      passwordUnusedDays: 90,
      passwordWarningNoticeDays: [30, 10, 3],
      passwordFirstNoticeDays: 1,
      passwordRemovalsPerNight: 0,
      mfaReminderDays: 0,
      userIdleDays: 0,
      exemptTag: 'exempt',
    });
    expect(config).toMatchObject({
      dryRun: true,
      now: new Date('2026-12-24T00:00:00Z'),
      eventBusName: 'security-audit',
    });
  });

  it('takes an empty MAX_ACTIONS_PER_RUN for unset, as every setting', () => {
    expect(loadConsoleAccessConfig({ MAX_ACTIONS_PER_RUN: ' ' }).dryRun).toBe(false);
  });

  it('accepts any notice days with the rule off', () => {
    expect(loadConsoleAccessConfig({ PASSWORD_UNUSED_DAYS: '0' }).settings.passwordUnusedDays).toBe(0);
  });

  it.each([
    [
      'PASSWORD_UNUSED_DAYS',
      '45d',
      'PASSWORD_UNUSED_DAYS: must be a whole number from 0 to 3650 (got "45d")',
    ],
    ['PASSWORD_UNUSED_DAYS', '4000', 'PASSWORD_UNUSED_DAYS: must be at most 3650'],
    [
      'PASSWORD_WARNING_NOTICE_DAYS',
      '14;7',
      'PASSWORD_WARNING_NOTICE_DAYS: must be a comma-separated list of whole days',
    ],
    [
      'PASSWORD_WARNING_NOTICE_DAYS',
      '45,7',
      'PASSWORD_WARNING_NOTICE_DAYS (45,7) must each be at least 1 and less than PASSWORD_UNUSED_DAYS (45)',
    ],
    ['PASSWORD_WARNING_NOTICE_DAYS', '7,0', 'PASSWORD_WARNING_NOTICE_DAYS (7,0) must each be at least 1'],
    ['PASSWORD_REMOVALS_PER_NIGHT', '5001', 'PASSWORD_REMOVALS_PER_NIGHT: must be at most 5000'],
    [
      'PASSWORD_REMOVALS_PER_NIGHT',
      'twenty',
      'PASSWORD_REMOVALS_PER_NIGHT: must be a whole number from 0 to 5000',
    ],
    ['PASSWORD_FIRST_NOTICE_DAYS', '0', 'PASSWORD_FIRST_NOTICE_DAYS: must be at least 1'],
    ['PASSWORD_FIRST_NOTICE_DAYS', '91', 'PASSWORD_FIRST_NOTICE_DAYS: must be at most 90'],
    [
      'MAX_ACTIONS_PER_RUN',
      '50',
      'MAX_ACTIONS_PER_RUN: is retired: set PASSWORD_REMOVALS_PER_NIGHT instead (a backlog is worked off a limit per night; the guard no longer counts actions) (got "50")',
    ],
    [
      'KEY_HYGIENE_NOW',
      '2026-12-24',
      'KEY_HYGIENE_NOW (2026-12-24T00:00:00.000Z) is allowed only with DRY_RUN=true: a run that changes console passwords decides by the real clock',
    ],
    ['MFA_REMINDER_DAYS', '1', 'MFA_REMINDER_DAYS: must be 0 (no reminders) or at least 7'],
    ['MFA_REMINDER_DAYS', '6', 'MFA_REMINDER_DAYS: must be 0 (no reminders) or at least 7'],
    ['USER_IDLE_DAYS', 'ninety', 'USER_IDLE_DAYS: must be a whole number from 0 to 3650'],
    ['DRY_RUN', 'yes', "DRY_RUN: must be 'true' or 'false'"],
  ])('refuses %s=%s, naming it', (variable, value, message) => {
    expect(() => loadConsoleAccessConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConsoleAccessConfig({ [variable]: value })).toThrow(message);
  });
});
