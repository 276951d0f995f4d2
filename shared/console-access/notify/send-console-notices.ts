import { describeError } from '../../kernel/index.ts';
import type { Mailer } from '../../mail/index.ts';
import type { ConsoleAccount } from '../console-iam.ts';
import type { ConsoleMailResult } from '../types.ts';
import { type ConsoleMailContext, renderConsoleMail } from './console-mail.ts';
import { type ConsoleOwnerNotice, unsentConsoleNotice } from './console-notices.ts';

/**
 * Mails each owner their console-access notices and, once a mail is sent, writes its records so no warning
 * goes out twice and MFA reminders stay spaced out. The records are read again just before each mail (an
 * overlapping run may have told the owner). A failed send records nothing: the notice is due again the next
 * night, and a removal that needed it waits. Never throws.
 */
export async function sendConsoleNotices(
  notices: ConsoleOwnerNotice[],
  deps: { mailer: Mailer; account: ConsoleAccount; context: ConsoleMailContext },
): Promise<ConsoleMailResult[]> {
  const results: ConsoleMailResult[] = [];
  for (const planned of notices) {
    const told = planned.notices.map((item) => item.kind);
    if ('unreachable' in planned.recipient) {
      results.push({
        userName: planned.userName,
        status: 'unreachable',
        detail: planned.recipient.unreachable,
        told,
      });
      continue;
    }
    const address = planned.recipient.address;
    const notice = await stillUnsent(planned, deps);
    if (notice === undefined) {
      results.push({
        userName: planned.userName,
        address,
        status: 'skipped',
        detail: 'already told by another run',
        told,
      });
      continue;
    }
    const sent = await deps.mailer.send(renderConsoleMail(notice, address, deps.context));
    const kinds = notice.notices.map((item) => item.kind);
    if (sent.status !== 'sent') {
      const detail = sent.status === 'failed' ? sent.error : sent.reason;
      results.push({ userName: notice.userName, address, status: sent.status, detail, told: kinds });
      continue;
    }
    const result: ConsoleMailResult = { userName: notice.userName, address, status: 'sent', told: kinds };
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

async function stillUnsent(
  notice: ConsoleOwnerNotice,
  deps: { account: ConsoleAccount; context: ConsoleMailContext },
): Promise<ConsoleOwnerNotice | undefined> {
  try {
    return unsentConsoleNotice(notice, await deps.account.listUserTags(notice.userName), deps.context.now);
  } catch {
    // A repeated notice is better than none.
    return notice;
  }
}
