import type { ChatMessage, ChatPoster, ChatPostResult } from '../../shared/chat/types.ts';

/** A chat poster that keeps what it is given; while `failing` is set, every post fails with it. */
export class FakeChat implements ChatPoster {
  readonly posted: ChatMessage[] = [];
  failing: string | undefined;
  /** Called at each post: lets a test see what had happened by then (mail sent before chat, say). */
  onPost: (() => void) | undefined;

  async post(message: ChatMessage): Promise<ChatPostResult> {
    this.onPost?.();
    if (this.failing !== undefined) return { status: 'failed', error: this.failing };
    this.posted.push(message);
    return { status: 'posted', messageId: `chat-${this.posted.length}` };
  }

  titles(): string[] {
    return this.posted.map((message) => message.title.value);
  }
}
