import { describeError } from '../kernel/index.ts';
import type { Recipient } from './recipients.ts';
import type { Mailer, MailMessage, SendResult } from './types.ts';

/** A notice planned for one owner: where it goes, and the records to write once it is sent. */
export interface PlannedNotice {
  userName: string;
  recipient: Recipient;
  records: Record<string, string>;
}

/** What became of one owner's notice: the notice as sent (what was left of it), or as planned. */
export interface NoticeDelivery<Notice> {
  notice: Notice;
  userName: string;
  address?: string;
  status: SendResult['status'] | 'unreachable';
  detail?: string;
}

export interface NoticeSteps<Notice> {
  mailer: Mailer;
  /** The owner's records as they stand now (user tags). */
  readRecords: (userName: string) => Promise<Record<string, string>>;
  /** What is left of the notice once the records are taken into account; `undefined`: all told already. */
  unsentPart: (notice: Notice, records: Record<string, string>) => Notice | undefined;
  render: (notice: Notice, address: string) => MailMessage;
  /** Writes the notice's records once its mail is sent. */
  record: (userName: string, records: Record<string, string>) => Promise<void>;
}

/**
 * Mails each owner their notice and, once a mail is sent, records what was sent so no notice goes out
 * twice. Just before each mail the owner's records are read again: a second run (EventBridge delivers the
 * nightly event at least once) may have told the owner since this run planned. A failed send records
 * nothing: the notice is due again the next night. Never throws: every outcome is in the result.
 */
export async function sendRecordedNotices<Notice extends PlannedNotice>(
  notices: Notice[],
  steps: NoticeSteps<Notice>,
): Promise<NoticeDelivery<Notice>[]> {
  const deliveries: NoticeDelivery<Notice>[] = [];
  for (const planned of notices) {
    const { userName } = planned;
    if ('unreachable' in planned.recipient) {
      deliveries.push({
        notice: planned,
        userName,
        status: 'unreachable',
        detail: planned.recipient.unreachable,
      });
      continue;
    }
    const address = planned.recipient.address;
    const notice = await stillUnsent(planned, steps);
    if (notice === undefined) {
      deliveries.push({
        notice: planned,
        userName,
        address,
        status: 'skipped',
        detail: 'already told by another run (the nightly event delivered twice?)',
      });
      continue;
    }
    const sent = await steps.mailer.send(steps.render(notice, address));
    if (sent.status !== 'sent') {
      const detail = sent.status === 'failed' ? sent.error : sent.reason;
      deliveries.push({ notice, userName, address, status: sent.status, detail });
      continue;
    }
    const delivery: NoticeDelivery<Notice> = { notice, userName, address, status: 'sent' };
    if (Object.keys(notice.records).length > 0) {
      try {
        await steps.record(userName, notice.records);
      } catch (error: unknown) {
        delivery.detail = `sent, but not recorded as sent (it may be sent again): ${describeError(error)}`;
      }
    }
    deliveries.push(delivery);
  }
  return deliveries;
}

/** The notice less what another run has sent meanwhile; when the records cannot be read, all of it. */
async function stillUnsent<Notice extends PlannedNotice>(
  notice: Notice,
  steps: NoticeSteps<Notice>,
): Promise<Notice | undefined> {
  try {
    return steps.unsentPart(notice, await steps.readRecords(notice.userName));
  } catch {
    // A repeated notice is better than none.
    return notice;
  }
}
