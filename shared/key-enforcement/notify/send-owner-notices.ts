import { type Mailer, sendRecordedNotices } from '../../mail/index.ts';
import type { IamAccount } from '../iam-account.ts';
import type { OwnerMailResult } from '../types.ts';
import type { OwnerMailContext } from './owner-mail.ts';
import { renderOwnerMail } from './owner-mail.ts';
import { type OwnerNotice, unsentPart } from './owner-notices.ts';

/**
 * Mails each owner their notices and, once a mail is sent, records what was sent in user tags so no
 * notice goes out twice (mail's `sendRecordedNotices`: the records are read again just before each mail, a
 * failed send records nothing). Never throws: every outcome is in the result, with the keys it was about.
 */
export async function sendOwnerNotices(
  notices: OwnerNotice[],
  deps: { mailer: Mailer; account: IamAccount; context: OwnerMailContext },
): Promise<OwnerMailResult[]> {
  const deliveries = await sendRecordedNotices(notices, {
    mailer: deps.mailer,
    readRecords: (userName) => deps.account.listUserTags(userName),
    unsentPart,
    render: (notice, address) => renderOwnerMail(notice, address, deps.context),
    record: (userName, records) => deps.account.tagUser(userName, records),
  });
  return deliveries.map(({ notice, ...delivery }) => ({
    ...delivery,
    keys: notice.items.map((item) => ({ accessKeyId: item.accessKeyId, notice: item.notice.kind })),
  }));
}
