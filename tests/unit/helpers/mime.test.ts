import { describe, expect, it } from 'vitest';
import { buildRawMail } from '../../../shared/mail/raw-mail.ts';
import { decodeHeader, parseMail } from '../../helpers/mime.ts';

// The integration tests read mail back through this helper: it must decode what nodemailer encodes.
describe('parseMail', () => {
  it('reads back the headers, text and HTML of a mail nodemailer built', async () => {
    const longLine = `${'x'.repeat(120)} = ü`;
    const raw = new TextDecoder().decode(
      await buildRawMail('sender@example.com', {
        to: ['a@example.com', 'b@example.com'],
        subject: 'Policy tightened – 3 settings',
        text: `line one\n${longLine}\naccount’s value`,
        html: `<p style="color:#666">${longLine}</p>`,
      }),
    );

    const mail = parseMail(raw);

    expect(mail.headers.from).toBe('sender@example.com');
    expect(mail.headers.to).toBe('a@example.com, b@example.com');
    expect(decodeHeader(mail.headers.subject ?? '')).toBe('Policy tightened – 3 settings');
    expect(mail.parts.map((part) => part.contentType)).toEqual(['text/plain', 'text/html']);
    expect(mail.parts[0]?.body.replace(/\r\n/g, '\n')).toBe(`line one\n${longLine}\naccount’s value`);
    expect(mail.parts[1]?.body).toBe(`<p style="color:#666">${longLine}</p>`);
  });

  it('decodes base64 and Q encoded words', () => {
    expect(decodeHeader('=?UTF-8?B?w7xiZXI=?=')).toBe('über');
    expect(decodeHeader('=?UTF-8?Q?a_=C3=BC_b?=')).toBe('a ü b');
    expect(decodeHeader('plain')).toBe('plain');
  });
});
