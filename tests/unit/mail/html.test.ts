import { describe, expect, it } from 'vitest';
import { escapeHtml, html, rawHtml } from '../../../shared/mail/html.ts';

describe('html', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a & b', 'a &amp; b'],
    [`"quoted" and 'single'`, '&quot;quoted&quot; and &#39;single&#39;'],
    ['plain.user+ops@corp.example', 'plain.user+ops@corp.example'],
  ])('escapes %j', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
    expect(html`<p>${text}</p>`.value).toBe(`<p>${escaped}</p>`);
  });

  it('escapes values placed in attributes', () => {
    expect(html`<a title="${'x" onclick="evil()'}">`.value).toBe('<a title="x&quot; onclick=&quot;evil()">');
  });

  it('keeps nested html and trusted markup as they are, joins arrays and drops empty values', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(
      html`${inner}${rawHtml('<br>')}${['a', html`<i>b</i>`]}${undefined}${null}${false}${0}`.value,
    ).toBe('<b>&lt;i&gt;</b><br>a<i>b</i>0');
  });
});
