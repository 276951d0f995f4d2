import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkAddress, InvalidAddressError } from '../../../shared/mail/index.ts';
import { disabledMailer, sesMailer } from '../../../shared/mail/mailer.ts';
import { outboxMailer } from '../../../shared/mail/outbox-mailer.ts';
import { buildRawMail } from '../../../shared/mail/raw-mail.ts';
import type { MailMessage } from '../../../shared/mail/types.ts';

const ses = mockClient(SESv2Client);
const message: MailMessage = {
  to: ['nina@corp.example'],
  subject: 'Your AWS access key AKIA1 was deactivated',
  html: '<p>Hello <b>nina</b></p>',
  text: 'Hello nina',
  attachments: [{ filename: 'keys.csv', contentType: 'text/csv', content: 'user\nnina\n' }],
};

function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    clock: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

beforeEach(() => ses.reset());

describe('checkAddress', () => {
  it.each(['a@example.com', 'first.last+ops@corp.example', 'x_y-z@sub.corp.example', 'a=b+c@corp.example'])(
    'accepts %s',
    (address) => {
      expect(checkAddress(address)).toBe(address);
    },
  );
  it.each([
    'a@example.com\r\nBcc: x@evil.example',
    'a@example.com\n',
    'plain',
    'a@b',
    'a b@example.com',
    '<a@example.com>',
    '',
    'dev,ops@example.com',
    'a,b@example.com,c@example.com',
    '.a@example.com',
    'a.@example.com',
    'a..b@example.com',
  ])('refuses %j', (address) => {
    expect(() => checkAddress(address)).toThrow(InvalidAddressError);
  });
});

describe('buildRawMail', () => {
  it('builds MIME with a text part, an HTML part and the attachment', async () => {
    const raw = Buffer.from(await buildRawMail('key-hygiene@corp.example', message)).toString('utf8');
    expect(raw).toContain('From: key-hygiene@corp.example');
    expect(raw).toContain('To: nina@corp.example');
    expect(raw).toContain('multipart/alternative');
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
    expect(raw).toMatch(/Content-Disposition: attachment; filename=keys\.csv/);
  });
});

describe('sesMailer', () => {
  it('sends raw MIME from the sender to the recipients and returns the message id', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const time = fakeTime();
    const result = await sesMailer(new SESv2Client({}), {
      sender: 'key-hygiene@corp.example',
      maxPerSecond: 10,
      ...time,
    }).send(message);
    expect(result).toEqual({ status: 'sent', messageId: 'm-1' });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.FromEmailAddress).toBe('key-hygiene@corp.example');
    expect(input?.Destination?.ToAddresses).toEqual(['nina@corp.example']);
    expect(Buffer.from(input?.Content?.Raw?.Data ?? new Uint8Array()).toString('utf8')).toContain(
      'Subject: Your AWS access key AKIA1 was deactivated',
    );
  });

  it('refuses a recipient with a line break without calling SES', async () => {
    const result = await sesMailer(new SESv2Client({}), { sender: 'k@corp.example', maxPerSecond: 10 }).send({
      ...message,
      to: ['nina@corp.example\r\nBcc: all@corp.example'],
    });
    expect(result).toEqual({ status: 'failed', error: expect.stringContaining('line break') });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('reports a send that still fails after the SDK’s retries, without throwing', async () => {
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'TooManyRequestsException',
    });
    ses.on(SendEmailCommand).rejects(throttled);
    const result = await sesMailer(new SESv2Client({}), { sender: 'k@corp.example', maxPerSecond: 10 }).send(
      message,
    );
    expect(result).toEqual({
      status: 'failed',
      error: 'TooManyRequestsException: Maximum sending rate exceeded.',
    });
  });

  // Each send SES throttles costs the SDK's full retries (up to half a minute): a run must not spend its
  // time on a dead SES. A message SES refuses (MessageRejected) says nothing about the next one.
  describe('when SES keeps failing', () => {
    const serviceError = (name: string, httpStatusCode: number | undefined, message = 'failed') =>
      Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

    it.each([
      ['throttling (429)', serviceError('TooManyRequestsException', 429)],
      ['a 503', serviceError('ServiceUnavailable', 503)],
      ['no answer (connection reset)', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ])(
      'holds the rest of the mail back after 2 sends in a row fail with %s, then tries again',
      async (_case, error) => {
        ses.on(SendEmailCommand).rejects(error);
        const time = fakeTime();
        const mailer = sesMailer(new SESv2Client({}), {
          sender: 'k@corp.example',
          maxPerSecond: 10,
          ...time,
        });
        const results = [];
        for (let index = 0; index < 4; index += 1) results.push(await mailer.send(message));
        expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
        expect(results.map((result) => result.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
        expect(results[2]).toEqual({
          status: 'failed',
          error: expect.stringMatching(
            /^not tried: SES failed 2 sends in a row .*; mail is held back until 1970-01-01 00:10 UTC$/,
          ),
        });

        // Ten minutes later one send is tried; SES is back.
        await time.sleep(10 * 60_000);
        ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
        expect(await mailer.send(message)).toEqual({ status: 'sent', messageId: 'm-2' });
        expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
      },
    );

    it('keeps trying when SES refuses single messages', async () => {
      ses
        .on(SendEmailCommand)
        .rejects(serviceError('MessageRejected', 400, 'Email address is not verified.'));
      const mailer = sesMailer(new SESv2Client({}), {
        sender: 'k@corp.example',
        maxPerSecond: 10,
        ...fakeTime(),
      });
      for (let index = 0; index < 4; index += 1) await mailer.send(message);
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(4);
    });

    it('counts only failures in a row: a sent mail starts the count again', async () => {
      ses
        .on(SendEmailCommand)
        .rejectsOnce(serviceError('ServiceUnavailable', 503))
        .resolvesOnce({ MessageId: 'm-1' })
        .rejectsOnce(serviceError('ServiceUnavailable', 503))
        .resolves({ MessageId: 'm-2' });
      const mailer = sesMailer(new SESv2Client({}), {
        sender: 'k@corp.example',
        maxPerSecond: 10,
        ...fakeTime(),
      });
      const results = [];
      for (let index = 0; index < 4; index += 1) results.push((await mailer.send(message)).status);
      expect(results).toEqual(['failed', 'sent', 'failed', 'sent']);
    });
  });

  it('paces sends to the configured rate', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
    const time = fakeTime();
    const mailer = sesMailer(new SESv2Client({}), { sender: 'k@corp.example', maxPerSecond: 4, ...time });
    for (let index = 0; index < 4; index += 1) await mailer.send(message);
    expect(time.waits).toEqual([250, 250, 250]);
  });
});

describe('disabledMailer and outboxMailer', () => {
  it('skips every mail and says why', async () => {
    const mailer = disabledMailer('SENDER_EMAIL is not set');
    expect(await mailer.send(message)).toEqual({ status: 'skipped', reason: 'SENDER_EMAIL is not set' });
    expect(mailer.disabledReason).toBe('SENDER_EMAIL is not set');
  });

  it('writes an .html and an .eml copy of each mail, then sends it', async () => {
    const dir = join(tmpdir(), `outbox-${process.pid}-${Date.now()}`);
    const sent: MailMessage[] = [];
    const written: string[] = [];
    const mailer = outboxMailer(
      {
        send: async (m) => {
          sent.push(m);
          return { status: 'sent', messageId: 'x' };
        },
      },
      { dir, sender: 'k@corp.example', onWrite: (path) => written.push(path) },
    );
    expect(await mailer.send(message)).toEqual({ status: 'sent', messageId: 'x' });
    expect((await readdir(dir)).sort()).toEqual(['001-nina@corp.example.eml', '001-nina@corp.example.html']);
    expect(await readFile(join(dir, '001-nina@corp.example.html'), 'utf8')).toBe(message.html);
    expect(written).toEqual([join(dir, '001-nina@corp.example.html')]);
    expect(sent).toEqual([message]);
  });
});
