/** What an escaping template tag takes: text to escape, markup it made before (`Trusted`), lists, nothing. */
export type TemplateValue<Trusted> =
  | Trusted
  | string
  | number
  | undefined
  | null
  | false
  | TemplateValue<Trusted>[];

/**
 * A template tag for a markup language: the literal parts are the code's own, and every value put into
 * them is escaped unless it is `Trusted` (the tag's own output, nested), so text from the account can never
 * inject markup. Arrays are joined; nullish and `false` render as nothing. Mail's `html` and chat's `md`.
 */
export function escapingTemplateTag<Trusted extends { readonly value: string }>(
  Trusted: new (value: string) => Trusted,
  escapeText: (text: string) => string,
): (strings: TemplateStringsArray, ...values: TemplateValue<Trusted>[]) => Trusted {
  const render = (value: TemplateValue<Trusted>): string => {
    if (value instanceof Trusted) return value.value;
    if (Array.isArray(value)) return value.map(render).join('');
    if (value === undefined || value === null || value === false) return '';
    return escapeText(String(value));
  };
  return (strings, ...values) => {
    let out = strings[0] ?? '';
    values.forEach((value, index) => {
      out += render(value) + (strings[index + 1] ?? '');
    });
    return new Trusted(out);
  };
}
