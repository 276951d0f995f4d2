import type { ChatMarkdown } from './markdown.ts';

/**
 * One chat message, in the terms of an AWS Chatbot custom notification: the content people read, and the
 * metadata Chatbot threads and files it by. Markdown fields are `ChatMarkdown` (account data defused);
 * plain fields are defused when the message is written.
 */
export interface ChatMessage {
  /** One line, at most 250 characters (longer is cut, marked `…`). */
  title: ChatMarkdown;
  /** The body, at most 8,000 characters (longer is cut at a line, with a note saying so). */
  description: ChatMarkdown;
  /** What to do, shown as a list; each at most 350 characters. */
  nextSteps?: ChatMarkdown[];
  /** Shown as tags; each at most 75 characters. */
  keywords?: string[];
  /** What the message is about, e.g. `KeyEnforcementRunCompleted`. */
  eventType: string;
  /** Messages with the same thread id are grouped in one thread, when the channel threads notifications. */
  threadId?: string;
  /** The line a thread shows at its top. */
  summary?: string;
  relatedResources?: string[];
  additionalContext?: Record<string, string>;
  /** A unique id of the event. */
  id?: string;
}

export type ChatPostResult =
  | { status: 'posted'; messageId: string }
  | { status: 'failed'; error: string }
  | { status: 'skipped'; reason: string };

/** The port every use case posts chat messages through; adapters: SNS (for AWS Chatbot) and disabled. */
export interface ChatPoster {
  post(message: ChatMessage): Promise<ChatPostResult>;
  /** Set when this poster posts nothing (no topic configured): why. */
  readonly disabledReason?: string;
}

/** What became of a run's chat messages: reported in the summary and the digest, counted as a metric. */
export interface ChatReport {
  posted: number;
  /** Each message that could not be posted: its title and why. */
  failed: { title: string; error: string }[];
  /** Why no message was posted at all (chat is off), when none was. */
  skipped?: string;
}
