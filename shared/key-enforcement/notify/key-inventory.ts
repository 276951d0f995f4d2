import { stringify } from 'csv-stringify/sync';
import {
  type CredentialReportRow,
  type ReportDate,
  type ReportFlag,
  type ReportText,
  slotHoldsKey,
} from '../../credential-report/index.ts';
import { wholeDaysBetween } from '../../kernel/index.ts';
import type { KeyDecision } from '../types.ts';

/** The inventory's columns, in order. */
export const KEY_INVENTORY_COLUMNS = [
  'user',
  'arn',
  'key_slot',
  'access_key_id',
  'active',
  'created',
  'age_days',
  'last_used',
  'last_used_region',
  'last_used_service',
  'decision',
  'reason',
];

/**
 * Every access key in the account, from the credential report, as CSV: one row per key, with tonight's
 * decision where the key was looked at closely. Key ids come from the live listing (the report has none),
 * joined by creation time. Cells a spreadsheet would run as formulas are defused.
 */
export function keyInventoryCsv(rows: CredentialReportRow[], decisions: KeyDecision[], now: Date): string {
  return stringify([KEY_INVENTORY_COLUMNS, ...keyInventoryRecords(rows, decisions, now)]);
}

/** The inventory's records (one per key, cells in `KEY_INVENTORY_COLUMNS` order), formulas defused. Pure. */
export function keyInventoryRecords(
  rows: CredentialReportRow[],
  decisions: KeyDecision[],
  now: Date,
): string[][] {
  return rows.flatMap((row) =>
    row.accessKeys.filter(slotHoldsKey).map((slot) => {
      const created = slot.lastRotated instanceof Date ? slot.lastRotated : undefined;
      const decision =
        created === undefined
          ? undefined
          : decisions.find(
              (candidate) =>
                candidate.userName === row.user &&
                Math.floor(candidate.createDate.getTime() / 1000) === Math.floor(created.getTime() / 1000),
            );
      return [
        row.user,
        row.arn,
        String(slot.slot),
        decision?.accessKeyId ?? '',
        flag(slot.active),
        date(slot.lastRotated),
        created === undefined ? '' : String(wholeDaysBetween(created, now)),
        date(slot.lastUsedDate),
        text(slot.lastUsedRegion),
        text(slot.lastUsedService),
        decision?.decision ?? (row.isRoot ? 'never acted on (root)' : 'not due'),
        decision?.reason ?? '',
      ].map(defuseFormula);
    }),
  );
}

function date(value: ReportDate): string {
  return value instanceof Date ? value.toISOString() : value;
}

function flag(value: ReportFlag): string {
  return typeof value === 'boolean' ? String(value) : value;
}

function text(value: ReportText): string {
  return value;
}

/** A CSV cell a spreadsheet will not run: IAM user names (and account names) may start with = + - @. */
export function defuseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
