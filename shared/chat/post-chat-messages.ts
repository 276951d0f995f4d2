import { describeError } from '../kernel/index.ts';
import type { ChatMessage, ChatPoster, ChatPostResult, ChatReport } from './types.ts';

export interface PostChatOptions {
  /**
   * After this many messages in a row fail, the rest are not tried (and reported failed): a missing topic
   * or a dead SNS fails every message alike, and each try costs the client's retries. Default 2.
   */
  maxFailuresInARow?: number;
}

/**
 * Posts a run's messages in order and reports what became of them. Never throws: a message that cannot be
 * posted is reported, and never blocks or undoes anything the run did.
 */
export async function postChatMessages(
  poster: ChatPoster,
  messages: ChatMessage[],
  options: PostChatOptions = {},
): Promise<ChatReport> {
  if (poster.disabledReason !== undefined) return { posted: 0, failed: [], skipped: poster.disabledReason };
  const maxFailuresInARow = options.maxFailuresInARow ?? 2;
  const report: ChatReport = { posted: 0, failed: [] };
  let failuresInARow = 0;
  let lastError = '';
  for (const message of messages) {
    const title = message.title.value;
    if (failuresInARow >= maxFailuresInARow) {
      report.failed.push({
        title,
        error: `not tried: the ${failuresInARow} messages before it failed (last: ${lastError})`,
      });
      continue;
    }
    let result: ChatPostResult;
    try {
      result = await poster.post(message);
    } catch (error: unknown) {
      // A poster should never throw; should one, the run goes on all the same.
      result = { status: 'failed', error: describeError(error) };
    }
    if (result.status === 'posted') {
      report.posted += 1;
      failuresInARow = 0;
    } else if (result.status === 'failed') {
      report.failed.push({ title, error: result.error });
      failuresInARow += 1;
      lastError = result.error;
    }
  }
  return report;
}
