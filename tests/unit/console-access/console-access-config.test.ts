import { describe, expect, it } from 'vitest';
import { CONSOLE_ACCESS_DEFAULTS, loadConsoleAccessConfig } from '../../../shared/console-access/config.ts';
import { ConfigError } from '../../../shared/kernel/errors.ts';

describe('loadConsoleAccessConfig', () => {
  it('defaults to CIS 1.12: 45 days unused, warnings at 14, 7 and 1 days, weekly MFA reminders, 90 idle days', () => {
    const config = loadConsoleAccessConfig({});
    expect(config.settings).toEqual({
      passwordUnusedDays: 45,
      passwordWarningNoticeDays: [14, 7, 1],
      passwordRemovalsPerNight: 20,
      mfaReminderDays: 7,
      userIdleDays: 90,
      exemptTag: CONSOLE_ACCESS_DEFAULTS.exemptTag,
    });
    expect(config).toMatchObject({
      dryRun: false,
      maxActionsPerRun: 50,
      now: undefined,
      eventBusName: 'default',
    });
  });

  it('reads every setting', () => {
    const config = loadConsoleAccessConfig({
      PASSWORD_UNUSED_DAYS: '90',
      PASSWORD_WARNING_NOTICE_DAYS: '3, 30,10',
      PASSWORD_REMOVALS_PER_NIGHT: '5',
      MFA_REMINDER_DAYS: '0',
      USER_IDLE_DAYS: '0',
      EXEMPT_TAG: 'exempt',
      DRY_RUN: 'TRUE',
      MAX_ACTIONS_PER_RUN: '3',
      KEY_HYGIENE_NOW: '2026-12-24',
    });
    expect(config.settings).toEqual({
      passwordUnusedDays: 90,
      passwordWarningNoticeDays: [30, 10, 3],
      passwordRemovalsPerNight: 5,
      mfaReminderDays: 0,
      userIdleDays: 0,
      exemptTag: 'exempt',
    });
    expect(config).toMatchObject({
      dryRun: true,
      maxActionsPerRun: 3,
      now: new Date('2026-12-24T00:00:00Z'),
    });
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
    ['PASSWORD_REMOVALS_PER_NIGHT', '0', 'PASSWORD_REMOVALS_PER_NIGHT: must be at least 1'],
    ['MFA_REMINDER_DAYS', '1', 'MFA_REMINDER_DAYS: must be 0 (no reminders) or at least 7'],
    ['MFA_REMINDER_DAYS', '6', 'MFA_REMINDER_DAYS: must be 0 (no reminders) or at least 7'],
    ['USER_IDLE_DAYS', 'ninety', 'USER_IDLE_DAYS: must be a whole number from 0 to 3650'],
    ['DRY_RUN', 'yes', "DRY_RUN: must be 'true' or 'false'"],
  ])('refuses %s=%s, naming it', (variable, value, message) => {
    expect(() => loadConsoleAccessConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConsoleAccessConfig({ [variable]: value })).toThrow(message);
  });
});
