import { gzipSync } from 'node:zlib';
import type { MailAttachment } from '../mail/index.ts';

/** Largest CSV attached as it is: every spreadsheet opens it, and the mail stays small. */
export const PLAIN_CSV_LIMIT_BYTES = 5 * 1024 * 1024;
/**
 * Largest compressed CSV attached. SES v2 accepts a message of 40 MB after base64 (4/3 of the bytes), which
 * leaves the HTML and text parts room beside 25 MiB of attachment.
 */
export const COMPRESSED_CSV_LIMIT_BYTES = 25 * 1024 * 1024;

/** The key inventory as the digest carries it: attached plain, attached compressed, or too large to mail. */
export interface InventoryAttachment {
  attachment?: MailAttachment;
  /** What the reader should know about the attachment, in a sentence; absent for a plain CSV. */
  note?: string;
}

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * The organization's key inventory for the digest. A CSV up to 5 MiB is attached as it is; a larger one is
 * gzip-compressed (a CSV of keys compresses about tenfold); one still over 25 MiB compressed is not attached,
 * and the note says where the keys are instead (each account's own digest), so the digest itself always
 * goes out. Pure.
 */
export function inventoryAttachment(
  csv: string,
  night: string,
  limits = { plain: PLAIN_CSV_LIMIT_BYTES, compressed: COMPRESSED_CSV_LIMIT_BYTES },
): InventoryAttachment {
  const filename = `key-inventory-organization-${night}.csv`;
  const bytes = Buffer.byteLength(csv);
  if (bytes <= limits.plain) return { attachment: { filename, contentType: 'text/csv', content: csv } };
  const compressed = gzipSync(csv);
  if (compressed.byteLength <= limits.compressed) {
    return {
      attachment: { filename: `${filename}.gz`, contentType: 'application/gzip', content: compressed },
      note: `The CSV of every key is ${megabytes(bytes)}: it is attached gzip-compressed (${filename}.gz, ${megabytes(compressed.byteLength)}).`,
    };
  }
  return {
    note: `The CSV of every key is ${megabytes(bytes)} (${megabytes(compressed.byteLength)} compressed), too large to mail: it is not attached. Each account's own digest of tonight carries that account's keys.`,
  };
}
