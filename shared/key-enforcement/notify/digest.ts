import {
  cellHtml,
  cellText,
  code,
  countsLine,
  countTiles,
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
