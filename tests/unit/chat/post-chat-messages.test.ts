import { describe, expect, it, vi } from 'vitest';
import { md } from '../../../shared/chat/markdown.ts';
import { postChatMessages } from '../../../shared/chat/post-chat-messages.ts';
import { disabledChat } from '../../../shared/chat/sns-chat.ts';
import type { ChatMessage, ChatPoster, ChatPostResult } from '../../../shared/chat/types.ts';

const messages = (count: number): ChatMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    title: md`message ${index + 1}`,
    description: md`body`,
    eventType: 'Test',
  }));

/** A poster that answers each post with the next of `results`. */
function scripted(...results: (ChatPostResult | Error)[]) {
  const post = vi.fn(async (_message: ChatMessage) => {
    const next = results.shift() ?? { status: 'posted', messageId: 'm' };
    if (next instanceof Error) throw next;
    return next;
  });
  return { post } satisfies ChatPoster;
}

const failed = (error: string): ChatPostResult => ({ status: 'failed', error });

describe('postChatMessages', () => {
  it('posts every message, in order', async () => {
    const poster = scripted();

    const report = await postChatMessages(poster, messages(3));

    expect(report).toEqual({ posted: 3, failed: [] });
    expect(poster.post.mock.calls.map(([message]) => message.title.value)).toEqual([
      'message 1',
      'message 2',
      'message 3',
    ]);
  });

  it('posts nothing when chat is off, and says why', async () => {
    expect(await postChatMessages(disabledChat('CHAT_TOPIC_ARN is not set'), messages(2))).toEqual({
      posted: 0,
      failed: [],
      skipped: 'CHAT_TOPIC_ARN is not set',
    });
  });

  it('stops trying after two failures in a row, reporting the rest as not tried', async () => {
    const poster = scripted(
      failed('NotFoundException: Topic does not exist'),
      failed('NotFoundException: Topic does not exist'),
    );

    const report = await postChatMessages(poster, messages(4));

    expect(poster.post).toHaveBeenCalledTimes(2);
    expect(report.posted).toBe(0);
    expect(report.failed).toEqual([
      { title: 'message 1', error: 'NotFoundException: Topic does not exist' },
      { title: 'message 2', error: 'NotFoundException: Topic does not exist' },
      {
        title: 'message 3',
        error: 'not tried: the 2 messages before it failed (last: NotFoundException: Topic does not exist)',
      },
      {
        title: 'message 4',
        error: 'not tried: the 2 messages before it failed (last: NotFoundException: Topic does not exist)',
      },
    ]);
  });

  it('keeps trying after a failure that a success follows', async () => {
    const poster = scripted(failed('Throttling'), { status: 'posted', messageId: 'm' }, failed('Throttling'));

    const report = await postChatMessages(poster, messages(4));

    expect(poster.post).toHaveBeenCalledTimes(4);
    expect(report.posted).toBe(2);
    expect(report.failed.map((failure) => failure.title)).toEqual(['message 1', 'message 3']);
  });

  it('reports a poster that throws as a failure, and goes on', async () => {
    const poster = scripted(new TypeError('socket hang up'));

    const report = await postChatMessages(poster, messages(2));

    expect(report).toEqual({
      posted: 1,
      failed: [{ title: 'message 1', error: 'TypeError: socket hang up' }],
    });
  });
});
