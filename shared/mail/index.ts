// mail: the Mailer port and its adapters (SES v2 raw MIME, outbox copies, disabled), MIME, the html
// template tag and the mail layout, owner addresses. It knows nothing of keys or policies.
export type { MailConfig } from './config.ts';
export { loadMailConfig } from './config.ts';
export { checkAddress } from './email-address.ts';
export { InvalidAddressError } from './errors.ts';
export type { SafeHtml } from './html.ts';
export { escapeHtml, html } from './html.ts';
export type { Cell, CountItem, Tone } from './layout.ts';
export {
  badge,
  cellHtml,
  cellText,
  code,
  countsLine,
  countTiles,
  mailPage,
  STYLE,
  section,
  TONE,
  table,
  textTable,
} from './layout.ts';
export { disabledMailer, mailerFor } from './mailer.ts';
export { describeSendResult, type Mailing, mailingLines } from './mailing-report.ts';
export type { Recipient, RecipientSettings } from './recipients.ts';
export { ownerRecipient } from './recipients.ts';
export {
  type NoticeDelivery,
  type NoticeSteps,
  type PlannedNotice,
  sendRecordedNotices,
} from './send-notices.ts';
export type { MailAttachment, Mailer, MailMessage, SendResult } from './types.ts';
