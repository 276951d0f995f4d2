import { describeError } from '../../kernel/index.ts';
import type { Mailer } from '../../mail/index.ts';
import { bulkTagPages, type IamAccount } from '../iam-account.ts';
import type { OwnerMailResult } from '../types.ts';
import type { OwnerMailContext } from './owner-mail.ts';
import { renderOwnerMail } from './owner-mail.ts';
import { type OwnerNotice, unsentPart } from './owner-notices.ts';

/**
 * Mails each owner their notices and, once a mail is sent, records what was sent in user tags so no
 * notice goes out twice. Before mailing, the users' notice records are read again: a second run
 * (EventBridge delivers the nightly event at least once) may have told the owner since this run planned.
 * A failed send records nothing: the notice is due again the next night. Never throws: every outcome is in
 * the result.
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
  const results: OwnerMailResult[] = [];
  const reachable = notices.filter((notice) => !('unreachable' in notice.recipient)).length;
  // The fresh read before the mail step: one bulk read, made as the step begins, when that costs fewer
  // requests than one ListUserTags per owner (a mail step that starts after another run's has ended still
  // sees every record that run wrote); a failed bulk read falls back to reading user by user.
  const inBulk =
    deps.usersInAccount !== undefined && reachable > bulkTagPages(deps.usersInAccount)
      ? await deps.account.userTagsInBulk().catch(() => undefined)
      : undefined;
  for (const planned of notices) {
    const keysOf = (notice: OwnerNotice) =>
      notice.items.map((item) => ({ accessKeyId: item.accessKeyId, notice: item.notice.kind }));
    if ('unreachable' in planned.recipient) {
      results.push({
        userName: planned.userName,
        status: 'unreachable',
        detail: planned.recipient.unreachable,
        keys: keysOf(planned),
      });
      continue;
    }
    const address = planned.recipient.address;
    const notice = await stillUnsent(planned, deps.account, inBulk?.get(planned.userName));
    if (notice === undefined) {
      results.push({
        userName: planned.userName,
        address,
        status: 'skipped',
        detail: 'already told by another run (the nightly event delivered twice?)',
        keys: keysOf(planned),
      });
      continue;
    }
    const keys = keysOf(notice);
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

/** The notice less what another run has sent meanwhile; when the records cannot be read, all of it. */
async function stillUnsent(
  notice: OwnerNotice,
  account: IamAccount,
  readInBulk: Record<string, string> | undefined,
): Promise<OwnerNotice | undefined> {
  try {
    return unsentPart(notice, readInBulk ?? (await account.listUserTags(notice.userName)));
  } catch {
    // A repeated notice is better than none.
    return notice;
  }
}
