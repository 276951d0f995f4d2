import type { Mailer, MailMessage, SendResult } from '../../shared/mail/types.ts';

/** A mailer that keeps what it is given; sends to the addresses in `failFor` fail. */
export class FakeMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  readonly failFor = new Set<string>();

  async send(message: MailMessage): Promise<SendResult> {
    if (message.to.some((address) => this.failFor.has(address))) {
      return { status: 'failed', error: 'TooManyRequestsException: Maximum sending rate exceeded' };
    }
    this.sent.push(message);
    return { status: 'sent', messageId: `fake-${this.sent.length}` };
  }

  to(address: string): MailMessage[] {
    return this.sent.filter((message) => message.to.includes(address));
  }
}
