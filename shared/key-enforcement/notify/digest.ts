import {
  cellHtml,
  cellText,
  code,
  html,
  type MailMessage,
  mailPage,
  type SafeHtml,
  STYLE,
  section,
  TONE,
  table,
  textTable,
} from '../../mail/index.ts';
import { type CountItem, countsLine } from '../key-table.ts';
import { buildDigest, type DigestData, type DigestInput, type DigestSection } from './digest-data.ts';
import { keyAgeChart, keyAgeChartText } from './key-age-chart.ts';
import { keyInventoryCsv } from './key-inventory.ts';

const FOOTER =
  'Sent by key-hygiene after each nightly run. The attached CSV lists every access key in the account.';

/** Renders the security team's digest of a run: HTML and text from one `DigestData`, the key inventory as CSV. Pure. */
export function renderDigest(input: DigestInput): MailMessage {
  const digest = buildDigest(input);
  return {
    to: input.to,
    subject: digest.subject,
    html: digestHtml(digest),
    text: digestText(digest),
    attachments: [
      {
        filename: `key-inventory-${digest.day}.csv`,
        contentType: 'text/csv',
        content: keyInventoryCsv(input.rows, input.decisions, input.now),
      },
    ],
  };
}

function digestHtml(digest: DigestData): string {
  const body = html`<p>${digest.intro}</p>
${digest.sections.map(sectionHtml)}`;
  return mailPage(digest.title, body, FOOTER).value;
}

function sectionHtml(part: DigestSection): SafeHtml {
  switch (part.kind) {
    case 'alert':
      return html`<div style="border:2px solid ${TONE[part.tone]};padding:10px 14px;margin:12px 0;border-radius:4px"><strong style="color:${TONE[part.tone]}">${part.headline}</strong> ${part.text}</div>`;
    case 'counts':
      return countTiles(part.items);
    case 'note':
      return html`<p style="${STYLE.muted}">${part.text}</p>`;
    case 'lines':
      return html`<p>${part.lines.map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</p>`;
    case 'table':
      return section(
        part.title,
        table(
          part.columns,
          part.rows.map((row) => row.map(cellHtml)),
        ),
      );
    case 'names':
      return section(
        part.title,
        html`<p>${part.names.map((name, index) => html`${index > 0 ? ', ' : ''}${code(name)}`)}</p>`,
      );
    case 'chart':
      return section(part.title, keyAgeChart(part.buckets));
  }
}

/** The counts as a row of figures, each over its label; a zero is grey, a count that needs a person coloured. */
function countTiles(items: CountItem[]): SafeHtml {
  return html`<table role="presentation" style="border-collapse:collapse;width:100%;margin:8px 0 16px"><tr>${items.map(
    (item) => {
      const color = item.value === 0 ? '#9ca3af' : item.tone ? TONE[item.tone] : '#111827';
      return html`<td style="padding:8px 6px;border:1px solid #e5e7eb;text-align:center;vertical-align:top"><div style="font-size:22px;font-weight:600;color:${color}">${item.value}</div><div style="${STYLE.muted}">${item.label}</div></td>`;
    },
  )}</tr></table>`;
}

function digestText(digest: DigestData): string {
  return [digest.subject, '', digest.intro, ...digest.sections.flatMap(sectionText), '', `-- ${FOOTER}`].join(
    '\n',
  );
}

function sectionText(part: DigestSection): string[] {
  switch (part.kind) {
    case 'alert':
      return ['', `!! ${part.headline} ${part.text}`];
    case 'counts':
      return [countsLine(part.items)];
    case 'note':
      return ['', part.text];
    case 'lines':
      return ['', ...part.lines];
    case 'table':
      return [
        '',
        `${part.title}:`,
        textTable(
          part.columns.map((column) => column.toUpperCase()),
          part.rows.map((row) => row.map(cellText)),
        ),
      ];
    case 'names':
      return ['', `${part.title}:`, part.names.join(', ')];
    case 'chart':
      return ['', `${part.title}:`, keyAgeChartText(part.buckets)];
  }
}
