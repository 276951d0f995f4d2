import { type Mailer, sendRecordedNotices } from '../../mail/index.ts';
import { bulkTagPages, type IamAccount } from '../iam-account.ts';
import type { OwnerMailResult } from '../types.ts';
import type { OwnerMailContext } from './owner-mail.ts';
import { renderOwnerMail } from './owner-mail.ts';
import { type OwnerNotice, unsentPart } from './owner-notices.ts';

/**
 * Mails each owner their notices and, once a mail is sent, records what was sent in user tags so no
 * notice goes out twice (mail's `sendRecordedNotices`: the records are read again just before each mail, a
 * failed send records nothing). With more owners to mail than a bulk read takes requests, the records are
 * read in one bulk read as the mail step begins (a user missing from it is read alone; a failed bulk read
 * falls back to reading user by user). Never throws: every outcome is in the result, with the keys it was about.
 */
export async function sendOwnerNotices(
  notices: OwnerNotice[],
  deps: {
    mailer: Mailer;
    account: IamAccount;
    context: OwnerMailContext;
    /** Users in the account: with more owners to mail than a bulk read takes requests, tags are read in bulk. */
    usersInAccount?: number;
  },
): Promise<OwnerMailResult[]> {
  const reachable = notices.filter((notice) => !('unreachable' in notice.recipient)).length;
  const inBulk =
    deps.usersInAccount !== undefined && reachable > bulkTagPages(deps.usersInAccount)
      ? await deps.account.userTagsInBulk().catch(() => undefined)
      : undefined;
  const deliveries = await sendRecordedNotices(notices, {
    mailer: deps.mailer,
    readRecords: async (userName) => inBulk?.get(userName) ?? deps.account.listUserTags(userName),
    unsentPart,
    render: (notice, address) => renderOwnerMail(notice, address, deps.context),
    record: (userName, records) => deps.account.tagUser(userName, records),
  });
  return deliveries.map(({ notice, ...delivery }) => ({
    ...delivery,
    keys: notice.items.map((item) => ({ accessKeyId: item.accessKeyId, notice: item.notice.kind })),
  }));
}
