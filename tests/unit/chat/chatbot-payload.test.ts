import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHATBOT_LIMITS,
  chatbotNotification,
  chatbotPayload,
  SNS_MAX_MESSAGE_BYTES,
} from '../../../shared/chat/chatbot-payload.ts';
import { inlineCode, md, trustedMarkdown } from '../../../shared/chat/markdown.ts';
import type { ChatMessage } from '../../../shared/chat/types.ts';
import { chatbotNotificationShape } from '../../helpers/chatbot-shape.ts';

const numRuns = Number(process.env.FAST_CHECK_RUNS ?? '200');

const message: ChatMessage = {
  title: md`Account 123456789012: Nightly report 2026-11-23: 1 deactivated`,
  description: md`*Tonight:* Deactivated 1\n*Backlog:* none.`,
  eventType: 'KeyEnforcementRunCompleted',
};

describe('chatbotNotification', () => {
  it('writes the custom notification AWS Chatbot posts as it is', () => {
    expect(
      chatbotNotification({
        ...message,
        nextSteps: [md`Read the digest.`],
        keywords: ['key-hygiene', 'dry-run'],
        threadId: 'key-hygiene-123456789012-finding-ab12',
        summary: 'Critical finding: bob',
        relatedResources: ['AKIA0000000000000001'],
        additionalContext: { accountId: '123456789012' },
        id: 'key-hygiene-run-123456789012-2026-11-23T03:00:00.000Z',
      }),
    ).toEqual({
      version: '1.0',
      source: 'custom',
      id: 'key-hygiene-run-123456789012-2026-11-23T03:00:00.000Z',
      content: {
        textType: 'client-markdown',
        title: 'Account 123456789012: Nightly report 2026-11-23: 1 deactivated',
        description: '*Tonight:* Deactivated 1\n*Backlog:* none.',
        nextSteps: ['Read the digest.'],
        keywords: ['key-hygiene', 'dry-run'],
      },
      metadata: {
        eventType: 'KeyEnforcementRunCompleted',
        threadId: 'key-hygiene-123456789012-finding-ab12',
        summary: 'Critical finding: bob',
        relatedResources: ['AKIA0000000000000001'],
        additionalContext: { accountId: '123456789012' },
      },
    });
  });

  it('leaves out the optional fields a message does not have', () => {
    expect(chatbotNotification(message)).toEqual({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: message.title.value,
        description: message.description.value,
      },
      metadata: { eventType: 'KeyEnforcementRunCompleted' },
    });
  });

  it('cuts a title longer than Chatbot takes, marking the cut', () => {
    const title = chatbotNotification({ ...message, title: md`${'word '.repeat(100)}` }).content.title;
    expect(title.length).toBeLessThanOrEqual(CHATBOT_LIMITS.title);
    expect(title).toMatch(/word…$/);
  });

  it('cuts a description longer than Chatbot takes at a line, saying where the rest is', () => {
    const lines = Array.from({ length: 400 }, (_, index) => `line ${index}: ${'x'.repeat(20)}`);
    const { description } = chatbotNotification({
      ...message,
      description: trustedMarkdown(lines.join('\n')),
    }).content;
    expect(description.length).toBeLessThanOrEqual(CHATBOT_LIMITS.description);
    expect(description).toMatch(
      /\nline \d+: x{20}\n… \(cut to fit the chat message limit: the digest mail has it all\)$/,
    );
  });

  it('never leaves a code span open where it cuts', () => {
    const description = md`${'a'.repeat(7990)} ${inlineCode('long-user-name-that-is-cut')} end`;
    const cut = chatbotNotification({ ...message, description }).content.description;
    expect(cut.length).toBeLessThanOrEqual(CHATBOT_LIMITS.description);
    expect((cut.match(/`/g) ?? []).length % 2).toBe(0);
  });

  it('never cuts a character in half', () => {
    const emoji = '\u{1F511}';
    const title = chatbotNotification({ ...message, title: trustedMarkdown(emoji.repeat(200)) }).content
      .title;
    expect(title.length).toBeLessThanOrEqual(CHATBOT_LIMITS.title);
    expect(title.endsWith('…')).toBe(true);
    expect([...title.slice(0, -1)].every((character) => character === emoji)).toBe(true);
  });

  it('cuts next steps and keywords to their limits, and keeps them on one line', () => {
    const { content } = chatbotNotification({
      ...message,
      nextSteps: [md`${'step '.repeat(100)}`, md`two\nlines`],
      keywords: ['k'.repeat(100)],
    });
    expect(content.nextSteps?.[0]?.length).toBeLessThanOrEqual(CHATBOT_LIMITS.nextStep);
    expect(content.nextSteps?.[1]).toBe('two lines');
    expect(content.keywords?.[0]?.length).toBeLessThanOrEqual(CHATBOT_LIMITS.keyword);
    expect(content.keywords?.[0]).toMatch(/^k+…$/);
  });

  it('defuses the plain fields like account text, and keeps ids to letters, digits and -_.:', () => {
    const notification = chatbotNotification({
      ...message,
      summary: 'Critical finding: <!channel>',
      keywords: ['@here'],
      relatedResources: ['[x](http://evil.example)'],
      additionalContext: { 'user name': '@everyone' },
      threadId: 'thread <!here> 1',
      eventType: 'Critical Finding',
      id: 'id/with spaces',
    });
    expect(JSON.stringify(notification)).not.toMatch(/<!|@(?!\u2060)|\[x\]|http:\/\//);
    expect(notification.metadata).toMatchObject({
      threadId: 'thread---here--1',
      eventType: 'Critical-Finding',
      additionalContext: { 'user-name': '@\u2060everyone' },
    });
    expect(notification.id).toBe('id-with-spaces');
  });
});

describe('chatbotPayload', () => {
  it('is JSON of the Chatbot shape, whatever the text it is given', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.string({ unit: 'grapheme', maxLength: 9000 }),
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 12 }),
        (title, description, words) => {
          const payload = chatbotPayload({
            title: md`${title}`,
            description: md`${description} ${inlineCode(title)}`,
            nextSteps: words.map((word) => md`${word}`),
            keywords: words,
            summary: title,
            eventType: title,
          });
          expect(chatbotNotificationShape.safeParse(JSON.parse(payload)).error).toBeUndefined();
        },
      ),
      // Long strings: fewer runs suffice to cross every limit many times over.
      { numRuns: Math.min(numRuns, 50) },
    );
  });

  it('stays within SNS’s 256 KiB even at every limit, in the characters that take the most bytes', () => {
    // A lone surrogate takes six bytes in JSON (\udXXX), more than any character in UTF-8.
    const worst = '\uD800';
    const long = (length: number) => worst.repeat(length);
    const list = Array.from({ length: 50 }, () => long(1000));
    const payload = chatbotPayload({
      title: trustedMarkdown(long(1000)),
      description: trustedMarkdown(long(20_000)),
      nextSteps: list.map((item) => trustedMarkdown(item)),
      keywords: list,
      summary: long(1000),
      relatedResources: list,
      additionalContext: Object.fromEntries(list.map((item, index) => [`key${index}${long(200)}`, item])),
      threadId: long(1000),
      eventType: long(1000),
      id: long(1000),
    });
    expect(Buffer.byteLength(payload, 'utf8')).toBeLessThan(SNS_MAX_MESSAGE_BYTES / 2);
    expect(chatbotNotificationShape.safeParse(JSON.parse(payload)).error).toBeUndefined();
  });
});
