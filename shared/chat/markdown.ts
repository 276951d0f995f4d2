import { escapingTemplateTag } from '../kernel/index.ts';

// Chat text is markdown that AWS Chatbot hands to Slack or Microsoft Teams, which turn parts of it into
// mentions (`@here`, `<!channel>`), links (`[x](http://…)`, `<http://…|x>`, bare URLs) and formatting. Text
// from the account (user names, tag values, report contents) is attacker-influenced: whoever can name a
// user could otherwise ping the whole channel at 3 am or plant a link in a trusted security alert. Every
// such value is defused here, the way mail's `html` tag escapes it: visibly the same text, inert.

/** Markdown that is safe to post: made only by `md`, `inlineCode` and `trustedMarkdown`. */
export class ChatMarkdown {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

// Invisible characters that reorder or hide text (bidirectional overrides, zero-width characters): a name
// could otherwise show one thing and be another.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Control characters, line breaks included: a value stays on its line and cannot forge one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]+/g;
const WORD_JOINER = '\u2060';

// Markup that works anywhere in a line, replaced by look-alikes: Slack's control sequences `<!here>`,
// `<@U123>` and `<url|text>`, HTML, entities, markdown links and images, and our own code spans.
const LOOK_ALIKES: Record<string, string> = {
  '<': '‹',
  '>': '›',
  '&': '＆',
  '[': '［',
  ']': '］',
  '`': 'ˋ',
};

/**
 * The text of one value, defused for a code span: on one line, with no invisible characters, no markup
 * characters (look-alikes instead), and no mention, channel link or URL a chat client would act on (a word
 * joiner after `@`, `#` and `://`, which shows nothing).
 */
function defuseCharacters(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(/[<>&[\]`]/g, (character) => LOOK_ALIKES[character] ?? character)
    .replace(/[@#]/g, (character) => `${character}${WORD_JOINER}`)
    .replace(/:\/\//g, `:${WORD_JOINER}//`);
}

/**
 * Text from the account, defused for prose: as `defuseCharacters`, and emphasis markers that could start or
 * end formatting (`*`, `~`, and `_` at the edge of a word: `svc_deploy` keeps its underscore) replaced by
 * look-alikes.
 */
export function defuseText(text: string): string {
  return defuseCharacters(text)
    .replace(/\*/g, '∗')
    .replace(/~/g, '∼')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '＿');
}

/** A value from the account as an inline code span: shown exactly, formatting off, nothing it could trigger. */
export function inlineCode(value: string): ChatMarkdown {
  return new ChatMarkdown(`\`${defuseCharacters(value)}\``);
}

/** Markdown written in this code base (never account data): emphasis, our own line breaks. */
export function trustedMarkdown(markdown: string): ChatMarkdown {
  return new ChatMarkdown(markdown);
}

/** Markdown parts one after the other, with `separator` (ours) between them: lines, by default. */
export function joinMarkdown(parts: ChatMarkdown[], separator = '\n'): ChatMarkdown {
  return new ChatMarkdown(parts.map((part) => part.value).join(separator));
}

/**
 * A template tag that defuses every interpolated value unless it is `ChatMarkdown` (nested `md` output,
 * `inlineCode`): the literal parts are ours, the values may come from the account. Arrays are joined;
 * nullish and `false` render as nothing.
 */
export const md = escapingTemplateTag(ChatMarkdown, defuseText);
