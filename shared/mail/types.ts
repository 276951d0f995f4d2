export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string | Uint8Array;
}

/** One rendered mail to one or more recipients: always an HTML and a plain-text part. */
export interface MailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
}

export type SendResult =
  | { status: 'sent'; messageId: string }
  | { status: 'failed'; error: string }
  | { status: 'skipped'; reason: string };

/** The port every use case mails through; adapters: SES v2, disabled, and the npm start file writer. */
export interface Mailer {
  send(message: MailMessage): Promise<SendResult>;
  /** Set when this mailer sends nothing (no sender configured): why. */
  readonly disabledReason?: string;
}
