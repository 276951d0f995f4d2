import { ChatMarkdown, defuseText } from './markdown.ts';
import type { ChatMessage } from './types.ts';

// AWS Chatbot (Amazon Q Developer in chat applications) custom notifications: the schema and its limits,
// https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html. Characters are counted as
// UTF-16 code units, which are never fewer than the characters a person sees.
export const CHATBOT_LIMITS = {
  title: 250,
  description: 8000,
  nextStep: 350,
  keyword: 75,
} as const;

// Ours, not Chatbot's: enough for any message this service writes, and small enough that the largest
// message stays far below SNS's limit (tests/unit/chat/chatbot-payload.test.ts builds it).
const MAX_LIST_ITEMS = 10;
const MAX_METADATA_TEXT = 256;
const MAX_ID = 128;

/** SNS takes a message of at most 256 KiB (262,144 bytes of UTF-8), attributes included; we send none. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

const DESCRIPTION_CUT_NOTE = '\n… (cut to fit the chat message limit: the digest mail has it all)';
const ELLIPSIS = '…';

/** The custom notification AWS Chatbot posts as it is, as written to SNS. */
export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id?: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata: {
    eventType: string;
    threadId?: string;
    summary?: string;
    relatedResources?: string[];
    additionalContext?: Record<string, string>;
  };
}

/**
 * A message as the AWS Chatbot custom notification it posts unchanged, within Chatbot's limits: a field
 * too long is cut (at a line where it can be, never inside a code span or a character) and says so; plain
 * fields are defused like account text; ids keep only letters, digits and `-_.:`. Pure.
 */
export function chatbotNotification(message: ChatMessage): ChatbotNotification {
  const content: ChatbotNotification['content'] = {
    textType: 'client-markdown',
    title: oneLine(fitMarkdown(message.title, CHATBOT_LIMITS.title, ELLIPSIS)),
    description: fitMarkdown(message.description, CHATBOT_LIMITS.description, DESCRIPTION_CUT_NOTE),
  };
  const nextSteps = message.nextSteps
    ?.slice(0, MAX_LIST_ITEMS)
    .map((step) => oneLine(fitMarkdown(step, CHATBOT_LIMITS.nextStep, ELLIPSIS)));
  if (nextSteps !== undefined && nextSteps.length > 0) content.nextSteps = nextSteps;
  const keywords = message.keywords
    ?.slice(0, MAX_LIST_ITEMS)
    .map((keyword) => fitPlain(keyword, CHATBOT_LIMITS.keyword));
  if (keywords !== undefined && keywords.length > 0) content.keywords = keywords;

  const metadata: ChatbotNotification['metadata'] = { eventType: identifier(message.eventType) };
  if (message.threadId !== undefined) metadata.threadId = identifier(message.threadId);
  if (message.summary !== undefined) metadata.summary = fitPlain(message.summary, MAX_METADATA_TEXT);
  if (message.relatedResources !== undefined && message.relatedResources.length > 0) {
    metadata.relatedResources = message.relatedResources
      .slice(0, MAX_LIST_ITEMS)
      .map((resource) => fitPlain(resource, MAX_METADATA_TEXT));
  }
  if (message.additionalContext !== undefined) {
    metadata.additionalContext = Object.fromEntries(
      Object.entries(message.additionalContext)
        .slice(0, MAX_LIST_ITEMS)
        .map(([key, value]) => [identifier(key), fitPlain(value, MAX_METADATA_TEXT)]),
    );
  }
  return {
    version: '1.0',
    source: 'custom',
    ...(message.id === undefined ? {} : { id: identifier(message.id) }),
    content,
    metadata,
  };
}

/**
 * The SNS message body of a chat message: the custom notification as JSON, always valid (JSON.stringify
 * escapes any lone surrogate) and always within SNS's 256 KiB, which the field limits above keep it far
 * below. Pure.
 * @throws {RangeError} should it ever not fit: a message SNS would refuse is never sent.
 */
export function chatbotPayload(message: ChatMessage): string {
  const payload = JSON.stringify(chatbotNotification(message));
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > SNS_MAX_MESSAGE_BYTES) {
    throw new RangeError(`A chat message of ${bytes} bytes exceeds SNS's ${SNS_MAX_MESSAGE_BYTES}`);
  }
  return payload;
}

/**
 * Markdown cut to at most `max` UTF-16 units, `note` included: at the last line break that leaves room, or
 * else at the last space, or else anywhere but inside a surrogate pair; a code span left open is closed.
 */
function fitMarkdown(markdown: ChatMarkdown, max: number, note: string): string {
  const text = markdown.value;
  if (text.length <= max) return text;
  // Room for the note and a backtick that may have to close a code span.
  const room = max - note.length - 1;
  let cut = text.lastIndexOf('\n', room);
  if (cut <= 0) cut = text.lastIndexOf(' ', room);
  if (cut <= 0) cut = room;
  if (isLowSurrogate(text.charCodeAt(cut))) cut -= 1;
  let kept = text.slice(0, cut).trimEnd();
  if ((kept.match(/`/g)?.length ?? 0) % 2 === 1) kept += '`';
  return `${kept}${note}`;
}

/** Plain text from anywhere, defused and cut to `max` (an ellipsis marking the cut). */
function fitPlain(text: string, max: number): string {
  return oneLine(fitMarkdown(new ChatMarkdown(defuseText(text)), max, ELLIPSIS));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** An id or event type: letters, digits and `-_.:` only, at most 128 characters. */
function identifier(text: string): string {
  return text.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, MAX_ID) || '-';
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
