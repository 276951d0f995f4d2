import { type Mailer, sendRecordedNotices } from '../../mail/index.ts';
import type { ConsoleAccount } from '../console-iam.ts';
import type { ConsoleMailResult } from '../types.ts';
import { type ConsoleMailContext, renderConsoleMail } from './console-mail.ts';
import { type ConsoleOwnerNotice, unsentConsoleNotice } from './console-notices.ts';

/**
 * Mails each owner their console-access notices and, once a mail is sent, writes its records so no warning
 * goes out twice and MFA reminders stay spaced out (mail's `sendRecordedNotices`: the records are read again
 * just before each mail, a failed send records nothing and the notice is due again the next night). Never
 * throws: every outcome is in the result, with what the owner was told.
 */
export async function sendConsoleNotices(
  notices: ConsoleOwnerNotice[],
  deps: { mailer: Mailer; account: ConsoleAccount; context: ConsoleMailContext },
): Promise<ConsoleMailResult[]> {
  const deliveries = await sendRecordedNotices(notices, {
    mailer: deps.mailer,
    readRecords: (userName) => deps.account.listUserTags(userName),
    unsentPart: (notice, records) => unsentConsoleNotice(notice, records, deps.context.now),
    render: (notice, address) => renderConsoleMail(notice, address, deps.context),
    record: (userName, records) => deps.account.tagUser(userName, records),
  });
  return deliveries.map(({ notice, ...delivery }) => ({
    ...delivery,
    told: notice.notices.map((item) => item.kind),
  }));
}
