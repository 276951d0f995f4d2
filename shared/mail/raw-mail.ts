import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { MailMessage } from './types.ts';

/** Builds the raw MIME of a mail (multipart/alternative text + HTML, attachments) with nodemailer. */
export async function buildRawMail(sender: string, message: MailMessage): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: sender,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: (message.attachments ?? []).map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: typeof attachment.content === 'string' ? attachment.content : Buffer.from(attachment.content),
    })),
  });
  const raw: Buffer = await composer.compile().build();
  return new Uint8Array(raw);
}
