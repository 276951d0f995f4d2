import { describeError } from '../aws-errors.ts';
import type { IamAccount } from '../iam/iam-account.ts';
import type { Mailer } from './mailer.ts';
import type { OwnerMailContext } from './owner-mail.ts';
import { renderOwnerMail } from './owner-mail.ts';
import type { KeyNotice, OwnerNotice } from './owner-notices.ts';

export interface OwnerMailResult {
  userName: string;
  address?: string;
  status: 'sent' | 'failed' | 'skipped' | 'unreachable';
  detail?: string;
  keys: { accessKeyId: string; notice: KeyNotice['kind'] }[];
}

/**
 * Mails each owner their notices and, once a mail is sent, records what was sent in user tags so no
 * notice goes out twice. A failed send records nothing: the notice is due again the next night. Never
 * throws: every outcome is in the result.
 */
export async function sendOwnerNotices(
  notices: OwnerNotice[],
  deps: { mailer: Mailer; account: IamAccount; context: OwnerMailContext },
): Promise<OwnerMailResult[]> {
  const results: OwnerMailResult[] = [];
  for (const notice of notices) {
    const keys = notice.items.map((item) => ({ accessKeyId: item.accessKeyId, notice: item.notice.kind }));
    if ('unreachable' in notice.recipient) {
      results.push({
        userName: notice.userName,
        status: 'unreachable',
        detail: notice.recipient.unreachable,
        keys,
      });
      continue;
    }
    const address = notice.recipient.address;
    const sent = await deps.mailer.send(renderOwnerMail(notice, address, deps.context));
    if (sent.status !== 'sent') {
      const detail = sent.status === 'failed' ? sent.error : sent.reason;
      results.push({ userName: notice.userName, address, status: sent.status, detail, keys });
      continue;
    }
    const result: OwnerMailResult = { userName: notice.userName, address, status: 'sent', keys };
    if (Object.keys(notice.records).length > 0) {
      try {
        await deps.account.tagUser(notice.userName, notice.records);
      } catch (error: unknown) {
        result.detail = `sent, but not recorded as sent (it may be sent again): ${describeError(error)}`;
      }
    }
    results.push(result);
  }
  return results;
}
