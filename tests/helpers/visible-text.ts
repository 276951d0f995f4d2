/** What a reader sees of a mail's HTML: the text without its tags (entities left escaped). */
export function visibleText(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}
