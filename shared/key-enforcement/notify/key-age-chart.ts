import type { CredentialReportRow } from '../../credential-report/index.ts';
import { wholeDaysBetween } from '../../kernel/index.ts';
import { html, type SafeHtml, STYLE, TONE } from '../../mail/index.ts';
import type { KeyPolicySettings } from '../types.ts';

export interface AgeBucket {
  label: string;
  count: number;
  tone: string;
}

/** Active keys by age, in buckets drawn from the policy: fine, due soon, overdue, over a year. Pure. */
export function keyAgeBuckets(
  rows: CredentialReportRow[],
  settings: KeyPolicySettings,
  now: Date,
): AgeBucket[] {
  const ages = rows.flatMap((row) =>
    row.accessKeys
      .filter((slot) => slot.active === true && slot.lastRotated instanceof Date)
      .map((slot) => wholeDaysBetween(slot.lastRotated as Date, now)),
  );
  const warnFrom = settings.maxAgeDays - settings.warningDays;
  const ranges: { label: string; from: number; to: number; tone: string }[] = [];
  if (warnFrom > 31) ranges.push({ label: '0–30 days', from: 0, to: 30, tone: TONE.ok });
  if (warnFrom > 0) {
    const from = warnFrom > 31 ? 31 : 0;
    ranges.push({ label: `${from}–${warnFrom - 1} days`, from, to: warnFrom - 1, tone: TONE.ok });
  }
  ranges.push({
    label: `${warnFrom}–${settings.maxAgeDays} days (due soon)`,
    from: warnFrom,
    to: settings.maxAgeDays,
    tone: TONE.warning,
  });
  if (settings.maxAgeDays < 365) {
    ranges.push({
      label: `${settings.maxAgeDays + 1}–365 days (overdue)`,
      from: settings.maxAgeDays + 1,
      to: 365,
      tone: TONE.danger,
    });
  }
  const overFrom = Math.max(366, settings.maxAgeDays + 1);
  ranges.push({
    label: `over ${overFrom - 1} days`,
    from: overFrom,
    to: Number.POSITIVE_INFINITY,
    tone: '#7f1d1d',
  });
  return ranges.map((range) => ({
    label: range.label,
    tone: range.tone,
    count: ages.filter((age) => age >= range.from && age <= range.to).length,
  }));
}

/** A horizontal bar chart built from table cells, which every mail client renders (inline SVG is not). */
export function keyAgeChart(buckets: AgeBucket[]): SafeHtml {
  const most = Math.max(1, ...buckets.map((bucket) => bucket.count));
  return html`<table role="presentation" style="border-collapse:collapse;width:100%;margin:8px 0 16px">
${buckets.map((bucket) => {
  const width = bucket.count === 0 ? 0 : Math.max(1, Math.round((bucket.count / most) * 100));
  return html`<tr>
<td style="${STYLE.cell};width:34%;white-space:nowrap">${bucket.label}</td>
<td style="${STYLE.cell}"><div style="background:${bucket.tone};width:${width}%;height:14px;border-radius:2px"></div></td>
<td style="${STYLE.cell};width:10%;text-align:right">${bucket.count}</td>
</tr>`;
})}
</table>`;
}

/** The same chart in text: bars of # scaled to 40 characters. */
export function keyAgeChartText(buckets: AgeBucket[]): string {
  const most = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const width = Math.max(...buckets.map((bucket) => bucket.label.length));
  return buckets
    .map((bucket) => {
      const bar = '#'.repeat(bucket.count === 0 ? 0 : Math.max(1, Math.round((bucket.count / most) * 40)));
      return `${bucket.label.padEnd(width)}  ${bar} ${bucket.count}`;
    })
    .join('\n');
}
