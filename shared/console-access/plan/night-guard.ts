import type { CredentialReportRow } from '../../credential-report/index.ts';
import { guardShareText, looksWrong } from '../../nights/index.ts';
import type { ConsoleGuard, PasswordDecision } from '../types.ts';
import { hasConsolePassword } from './password-activity.ts';

/** The console passwords in the account, by the credential report (the root account's excluded). */
export function consolePasswordsInReport(rows: CredentialReportRow[]): number {
  return rows.filter(hasConsolePassword).length;
}

/**
 * Whether tonight looks wrong rather than busy for console passwords, by the rule the key guard applies
 * (nights' `looksWrong`). Passwords fall due at their own dates, and first notices spread theirs a limit's
 * worth per night, so those needing action on one night are never nearly all the account's. When nine in
 * ten or more of the account's console passwords are due for removal or get a first notice at once, and
 * more than one night's limit, the clock, PASSWORD_UNUSED_DAYS or the report is more likely wrong than the
 * account: the guard trips and the night removes, records and mails nothing. Pure.
 */
export function checkConsoleNight(
  decisions: PasswordDecision[],
  passwordsInAccount: number,
  limit: number,
): ConsoleGuard {
  const removals = decisions.filter((decision) => decision.decision === 'remove').length;
  const firstNotices = decisions.filter(
    (decision) => decision.decision === 'warn' && decision.firstNotice === true,
  ).length;
  const passwordsNeedingAction = removals + firstNotices;
  const tripped = looksWrong({
    needingAction: passwordsNeedingAction,
    inAccount: passwordsInAccount,
    nightLimit: limit,
  });
  if (!tripped) return { tripped, passwordsNeedingAction, passwordsInAccount };
  return {
    tripped,
    passwordsNeedingAction,
    passwordsInAccount,
    reason:
      `${passwordsNeedingAction} of the account's ${passwordsInAccount} console passwords need action tonight ` +
      `(${removals} removals, ${firstNotices} first notices): every password at once (${guardShareText()} or ` +
      `more) and more than one night's limit (${limit} removals, PASSWORD_REMOVALS_PER_NIGHT). A busy night ` +
      'works a backlog off over the nights ahead; every password at once looks like a wrong clock, a wrong ' +
      'PASSWORD_UNUSED_DAYS, or a wrong report',
  };
}
