import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';

/**
 * A change to the text of a credential report, of the kinds a broken pipe, a format change or a hostile
 * middlebox could make. `neutral` changes keep the meaning (the parse must not change); `refused` ones
 * break the documented format (the parse must fail); the rest may go either way.
 */
export type ReportMutation =
  | { kind: 'swap-columns'; a: number; b: number }
  | { kind: 'quote-every-cell' }
  | { kind: 'crlf-line-ends' }
  | { kind: 'drop-column'; column: number }
  | { kind: 'duplicate-column'; column: number }
  | { kind: 'rename-column'; column: number; name: string }
  | { kind: 'extra-column'; name: string; value: string }
  | { kind: 'drop-cell'; row: number; column: number }
  | { kind: 'junk-cell'; row: number; column: number; junk: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'stray-quote'; row: number; column: number }
  | { kind: 'empty' };

export const NEUTRAL = new Set<ReportMutation['kind']>([
  'swap-columns',
  'quote-every-cell',
  'crlf-line-ends',
]);
export const REFUSED = new Set<ReportMutation['kind']>([
  'drop-column',
  'duplicate-column',
  'rename-column',
  'extra-column',
  'empty',
]);
/**
 * Changes to one row only: the row is read or set aside, the rest of the report read. (A stray quote inside
 * an unquoted cell is a literal character to a CSV reader: the cell is junk, the row boundaries hold.)
 */
export const ONE_ROW = new Set<ReportMutation['kind']>(['drop-cell', 'junk-cell', 'stray-quote']);

const index = fc.nat({ max: 1_000 });
/** Cell junk: report markers and look-alikes, broken dates, CSV specials, and any text at all. */
export const junk = fc.oneof(
  fc.constantFrom(
    'N/A',
    'n/a',
    'no_information',
    'not_supported',
    'true',
    'TRUE',
    'false',
    'yes',
    '',
    ' ',
    '2026-13-45T00:00:00+00:00',
    '2026-02-30T00:00:00+00:00',
    '2026-11-23',
    '2026-11-23T03:00:00',
    '2026-11-23T03:00:00Z',
    '1700000000',
    '<root_account>',
    ',',
    '"',
    '\n',
    '\r\n',
    '=HYPERLINK("x")',
  ),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.string({ unit: 'binary', maxLength: 16 }),
);

export const reportMutation: fc.Arbitrary<ReportMutation> = fc.oneof(
  fc.record({ kind: fc.constant('swap-columns' as const), a: index, b: index }),
  fc.constant({ kind: 'quote-every-cell' as const }),
  fc.constant({ kind: 'crlf-line-ends' as const }),
  fc.record({ kind: fc.constant('drop-column' as const), column: index }),
  fc.record({ kind: fc.constant('duplicate-column' as const), column: index }),
  fc.record({
    kind: fc.constant('rename-column' as const),
    column: index,
    name: fc.string({ maxLength: 24 }),
  }),
  fc.record({ kind: fc.constant('extra-column' as const), name: fc.string({ maxLength: 24 }), value: junk }),
  fc.record({ kind: fc.constant('drop-cell' as const), row: index, column: index }),
  fc.record({ kind: fc.constant('junk-cell' as const), row: index, column: index, junk }),
  fc.record({
    kind: fc.constant('truncate' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  }),
  fc.record({ kind: fc.constant('stray-quote' as const), row: index, column: index }),
  fc.constant({ kind: 'empty' as const }),
);

/** The cells of a report; text that is no longer CSV (an earlier change broke it) is split naively. */
function gridOf(csv: string): string[][] {
  try {
    return parse(csv, { skip_empty_lines: true }) as string[][];
  } catch {
    return csv
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(','));
  }
}

/** Applies a change to a report's text. */
export function mutateReport(csv: string, mutation: ReportMutation): string {
  const grid = gridOf(csv);
  const header = grid[0] ?? [];
  const width = header.length;
  const column = (n: number) => n % width;
  const row = (n: number) => 1 + (n % Math.max(1, grid.length - 1));
  const write = (cells: string[][], options: { quoted?: boolean; eol?: string } = {}) =>
    stringify(cells, { quoted: options.quoted ?? false, record_delimiter: options.eol ?? '\n' });
  const mapRows = (change: (cells: string[], rowIndex: number) => string[]) => write(grid.map(change));
  switch (mutation.kind) {
    case 'swap-columns': {
      const [a, b] = [column(mutation.a), column(mutation.b)];
      return mapRows((cells) =>
        cells.map((cell, i) => (i === a ? cells[b] : i === b ? cells[a] : cell) ?? ''),
      );
    }
    case 'quote-every-cell':
      return write(grid, { quoted: true });
    case 'crlf-line-ends':
      return write(grid, { eol: '\r\n' });
    case 'drop-column':
      return mapRows((cells) => cells.filter((_, i) => i !== column(mutation.column)));
    case 'duplicate-column':
      return mapRows((cells) => [...cells, cells[column(mutation.column)] ?? '']);
    case 'rename-column': {
      const at = column(mutation.column);
      const name = mutation.name.trim() === (header[at] ?? '') ? `${mutation.name}_renamed` : mutation.name;
      return mapRows((cells, r) => (r === 0 ? cells.map((cell, i) => (i === at ? name : cell)) : cells));
    }
    case 'extra-column':
      return mapRows((cells, r) => [...cells, r === 0 ? mutation.name : mutation.value]);
    case 'drop-cell': {
      const target = row(mutation.row);
      return mapRows((cells, r) =>
        r === target ? cells.filter((_, i) => i !== column(mutation.column)) : cells,
      );
    }
    case 'junk-cell': {
      const target = row(mutation.row);
      const at = column(mutation.column);
      return mapRows((cells, r) =>
        r === target ? cells.map((cell, i) => (i === at ? mutation.junk : cell)) : cells,
      );
    }
    case 'truncate':
      return csv.slice(0, Math.floor(csv.length * mutation.at));
    case 'stray-quote': {
      // A lone double quote inside a cell: not CSV.
      const target = row(mutation.row);
      const at = column(mutation.column);
      const lines = write(grid).split('\n');
      const cells = (lines[target] ?? '').split(',');
      cells[at] = `${cells[at] ?? ''}x"y`;
      lines[target] = cells.join(',');
      return lines.join('\n');
    }
    case 'empty':
      return '';
  }
}
