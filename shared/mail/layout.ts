import { escapeHtml, html, rawHtml, type SafeHtml } from './html.ts';

// Inline styles only: mail clients drop <style> blocks and external CSS.
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
export const STYLE = {
  cell: 'padding:6px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top;font-size:14px',
  head: 'padding:6px 10px;border-bottom:2px solid #d1d5db;text-align:left;font-size:13px;color:#374151;background:#f9fafb',
  code: 'font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px',
  muted: 'color:#6b7280;font-size:13px',
} as const;

export const TONE = {
  danger: '#b91c1c',
  warning: '#b45309',
  ok: '#15803d',
  info: '#1d4ed8',
  neutral: '#374151',
} as const;

/** The frame of every mail: a heading, the body, a footer saying where the mail comes from. */
export function mailPage(title: string, body: SafeHtml, footer: string): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6">
<div style="max-width:760px;margin:0 auto;padding:24px;background:#ffffff;color:#111827;${FONT};line-height:1.5">
<h1 style="font-size:20px;margin:0 0 16px">${title}</h1>
${body}
<p style="${STYLE.muted};margin-top:32px;border-top:1px solid #e5e7eb;padding-top:12px">${footer}</p>
</div></body></html>`;
}

/**
 * A table with a header row; cells are already-safe HTML. `compact` halves the cells' side padding, for a
 * table of many narrow columns that must fit a mail's width.
 */
export function table(headers: string[], rows: SafeHtml[][], options: { compact?: boolean } = {}): SafeHtml {
  const tighten = (style: string) =>
    options.compact ? style.replace('padding:6px 10px', 'padding:6px 5px') : style;
  return html`<table role="presentation" style="border-collapse:collapse;width:100%;margin:8px 0 16px">
<tr>${headers.map((header) => html`<th style="${tighten(STYLE.head)}">${header}</th>`)}</tr>
${rows.map((row) => html`<tr>${row.map((cell) => html`<td style="${tighten(STYLE.cell)}">${cell}</td>`)}</tr>`)}
</table>`;
}

export function badge(text: string, color: string): SafeHtml {
  return html`<span style="display:inline-block;white-space:nowrap;padding:1px 8px;border-radius:10px;background:${color};color:#ffffff;font-size:12px;font-weight:600">${text}</span>`;
}

export function code(text: string): SafeHtml {
  return html`<span style="${STYLE.code}">${text}</span>`;
}

export function section(title: string, body: SafeHtml): SafeHtml {
  return html`<h2 style="font-size:16px;margin:24px 0 8px">${title}</h2>${body}`;
}

export type Tone = keyof typeof TONE;

/**
 * A table cell as data, so one table can be drawn in HTML and in text alike: `code` in a monospace font,
 * `tone` as a coloured badge, `nowrap` on one line (a name), `note` as a muted second line (in text, after
 * the value in brackets). Codes and badges stay on one line too.
 */
export interface Cell {
  text: string;
  code?: boolean;
  tone?: Tone;
  nowrap?: boolean;
  note?: string;
}

/** A cell in HTML: every value escaped. */
export function cellHtml(cell: Cell): SafeHtml {
  let value = cell.code ? code(cell.text) : keepingDatesWhole(cell.text);
  if (cell.code || cell.nowrap) value = html`<span style="white-space:nowrap">${value}</span>`;
  if (cell.tone) value = badge(cell.text, TONE[cell.tone]);
  return cell.note ? html`${value}<br><span style="${STYLE.muted}">${cell.note}</span>` : value;
}

const DATE = /\d{4}-\d{2}-\d{2}/g;

/** Escaped text in which no date (`2026-12-30`) breaks across two lines at its hyphens. */
function keepingDatesWhole(text: string): SafeHtml {
  return rawHtml(escapeHtml(text).replace(DATE, '<span style="white-space:nowrap">$&</span>'));
}

/** A cell in plain text. */
export function cellText(cell: Cell): string {
  return cell.note ? `${cell.text} [${cell.note}]` : cell.text;
}

/** Plain-text table: columns padded to their widest cell. */
export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...rows.map((row) => row[index]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** One of a run's counts, as every report of the run shows it. */
export interface CountItem {
  label: string;
  value: number;
  /** How a count above zero is shown: one that needs a person's attention stands out. */
  tone?: Tone;
}

/** The counts as a row of figures, each over its label; a zero is grey, a count that needs a person coloured. */
export function countTiles(items: CountItem[]): SafeHtml {
  return html`<table role="presentation" style="border-collapse:collapse;width:100%;margin:8px 0 16px"><tr>${items.map(
    (item) => {
      const color = item.value === 0 ? '#9ca3af' : item.tone ? TONE[item.tone] : '#111827';
      return html`<td style="padding:8px 6px;border:1px solid #e5e7eb;text-align:center;vertical-align:top"><div style="font-size:22px;font-weight:600;color:${color}">${item.value}</div><div style="${STYLE.muted}">${item.label}</div></td>`;
    },
  )}</tr></table>`;
}

/** `Deactivated 1, Deleted 0, ...`: the counts on one line of text. */
export function countsLine(items: CountItem[]): string {
  return items.map((item) => `${item.label} ${item.value}`).join(', ');
}
