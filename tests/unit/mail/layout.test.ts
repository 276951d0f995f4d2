import { describe, expect, it } from 'vitest';
import { type Cell, cellHtml, cellText } from '../../../shared/mail/layout.ts';

describe('cells', () => {
  it.each<{ case: string; cell: Cell; html: string; text: string }>([
    {
      case: 'plain text, escaped',
      cell: { text: 'a <b> & c' },
      html: 'a &lt;b&gt; &amp; c',
      text: 'a <b> & c',
    },
    {
      case: 'a date kept on one line',
      cell: { text: 'deleted on 2026-12-30.' },
      html: 'deleted on <span style="white-space:nowrap">2026-12-30</span>.',
      text: 'deleted on 2026-12-30.',
    },
    {
      case: 'a name kept on one line',
      cell: { text: 'xena.exemption-expired', nowrap: true },
      html: '<span style="white-space:nowrap">xena.exemption-expired</span>',
      text: 'xena.exemption-expired',
    },
    {
      case: 'a note',
      cell: { text: 'deactivate', note: 'the key no longer exists' },
      html: 'deactivate<br><span style="color:#6b7280;font-size:13px">the key no longer exists</span>',
      text: 'deactivate [the key no longer exists]',
    },
  ])('draws $case alike in HTML and text', ({ cell, html, text }) => {
    expect(cellHtml(cell).value).toBe(html);
    expect(cellText(cell)).toBe(text);
  });

  it('draws a code in a monospace font on one line, and a tone as a badge', () => {
    expect(cellHtml({ text: 'AKIA1', code: true }).value).toMatch(
      /^<span style="white-space:nowrap"><span style="font-family:ui-monospace[^"]*">AKIA1<\/span><\/span>$/,
    );
    expect(cellHtml({ text: 'failed', tone: 'danger' }).value).toMatch(
      /background:#b91c1c[^>]*>failed<\/span>$/,
    );
  });
});
