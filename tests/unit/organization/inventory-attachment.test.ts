import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  COMPRESSED_CSV_LIMIT_BYTES,
  inventoryAttachment,
  PLAIN_CSV_LIMIT_BYTES,
} from '../../../shared/organization/inventory-attachment.ts';

const NIGHT = '2026-11-30';
/** A CSV of `rows` keys, as repetitive as a real inventory (ARNs, dates): it compresses well. */
const csvOf = (rows: number) =>
  [
    'account_id,user,access_key_id,status',
    ...Array.from(
      { length: rows },
      (_, row) => `111111111111,user-${row},AKIA${String(row).padStart(16, '0')},Active`,
    ),
  ].join('\n');

describe('inventoryAttachment', () => {
  it('attaches a CSV up to the plain limit as it is, with nothing to explain', () => {
    const csv = csvOf(10);

    expect(inventoryAttachment(csv, NIGHT)).toEqual({
      attachment: {
        filename: `key-inventory-organization-${NIGHT}.csv`,
        contentType: 'text/csv',
        content: csv,
      },
    });
  });

  it('compresses a CSV over the plain limit, and says so with both sizes', () => {
    const csv = csvOf(2_000);
    const limits = { plain: 10_000, compressed: COMPRESSED_CSV_LIMIT_BYTES };

    const { attachment, note } = inventoryAttachment(csv, NIGHT, limits);

    expect(attachment?.filename).toBe(`key-inventory-organization-${NIGHT}.csv.gz`);
    expect(attachment?.contentType).toBe('application/gzip');
    expect(gunzipSync(attachment?.content as Uint8Array).toString()).toBe(csv);
    expect(note).toMatch(
      /^The CSV of every key is 0\.\d MB: it is attached gzip-compressed \(.+\.csv\.gz, 0\.\d MB\)\.$/,
    );
  });

  it('attaches nothing when even the compressed CSV is too large to mail, and says where the keys are', () => {
    const csv = csvOf(2_000);

    const { attachment, note } = inventoryAttachment(csv, NIGHT, { plain: 10_000, compressed: 1_000 });

    expect(attachment).toBeUndefined();
    expect(note).toContain('too large to mail: it is not attached');
    expect(note).toContain("Each account's own digest of tonight carries that account's keys.");
  });

  it('keeps the message within SES v2 limit of 40 MB: the compressed attachment in base64 leaves room for the body', () => {
    expect(Math.ceil(COMPRESSED_CSV_LIMIT_BYTES / 3) * 4).toBeLessThan(40_000_000 - 5_000_000);
    expect(PLAIN_CSV_LIMIT_BYTES).toBeLessThan(COMPRESSED_CSV_LIMIT_BYTES);
  });
});
