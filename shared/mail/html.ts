import { escapingTemplateTag } from '../kernel/index.ts';

/** HTML that is already safe to embed: made only by `html` and `rawHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * A template tag that escapes every interpolated value unless it is `SafeHtml` (nested `html` output), so
 * text from the account (user names, tags) can never inject markup. Arrays are joined; nullish and
 * `false` render as nothing.
 */
export const html = escapingTemplateTag(SafeHtml, escapeHtml);

/** Trusted markup written in this code base (never account data). */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
