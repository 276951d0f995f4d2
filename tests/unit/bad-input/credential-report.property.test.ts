import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CredentialReportError,
  CredentialReportFormatError,
} from '../../../shared/credential-report/errors.ts';
import { fetchCredentialReport } from '../../../shared/credential-report/fetch-report.ts';
import { maxUnreadableRows, parseCredentialReport } from '../../../shared/credential-report/parse-report.ts';
import type { CredentialReportRow, UnreadableReportRow } from '../../../shared/credential-report/types.ts';
import { reportCsv, sampleReportCsv } from '../../helpers/credential-report-csv.ts';
import {
  mutateReport,
  NEUTRAL,
  ONE_ROW,
  REFUSED,
  type ReportMutation,
  reportMutation,
} from '../../helpers/report-mutations.ts';

// `npm test`: 200 cases per property; `npm run test:faults`: 2000 (FAST_CHECK_RUNS).
const numRuns = Number(process.env.FAST_CHECK_RUNS ?? '200');
const ORIGINAL = sampleReportCsv();
const ROWS = parseCredentialReport(ORIGINAL).rows;

type Outcome =
  | { rows: CredentialReportRow[]; unreadableRows: UnreadableReportRow[] }
  | { refused: CredentialReportFormatError };

/** Parses, and sorts the outcome into rows or a refusal; any other exception escapes and fails the property. */
function outcomeOf(csv: string): Outcome {
  try {
    return parseCredentialReport(csv);
  } catch (error: unknown) {
    if (error instanceof CredentialReportFormatError) return { refused: error };
    throw error;
  }
}

const of = (kinds: ReadonlySet<ReportMutation['kind']>) =>
  reportMutation.filter((mutation) => kinds.has(mutation.kind));

describe('parseCredentialReport on reports changed at random (fast-check)', () => {
  it('reads a report whose meaning is unchanged (columns reordered, every cell quoted, CRLF) as the original', () => {
    fc.assert(
      fc.property(fc.array(of(NEUTRAL), { minLength: 1, maxLength: 4 }), (mutations) => {
        const csv = mutations.reduce(mutateReport, ORIGINAL);
        expect(outcomeOf(csv)).toEqual({ rows: ROWS, unreadableRows: [] });
      }),
      { numRuns },
    );
  });

  it('refuses a column missing, repeated, renamed or unknown, or an empty report', () => {
    fc.assert(
      fc.property(of(REFUSED), (mutation) => {
        const outcome = outcomeOf(mutateReport(ORIGINAL, mutation));
        expect(outcome).toHaveProperty('refused');
        if ('refused' in outcome)
          expect(outcome.refused.message).toMatch(/^(The credential report|Credential report line)/);
      }),
      { numRuns },
    );
  });

  it('reads a report cut short as the rows before the cut, or refuses it', () => {
    fc.assert(
      fc.property(of(new Set(['truncate'])), (mutation) => {
        const outcome = outcomeOf(mutateReport(ORIGINAL, mutation));
        // A cut exactly at the end of a line leaves a shorter report that no reader could tell from a real one.
        if ('rows' in outcome) expect(outcome.rows).toEqual(ROWS.slice(0, outcome.rows.length));
      }),
      { numRuns },
    );
  });

  it('reads a junk cell, a stray quote or a row short of a cell as a change to its own row only: read, set aside, or refused naming it', () => {
    fc.assert(
      fc.property(of(ONE_ROW), (mutation) => {
        if (mutation.kind !== 'junk-cell' && mutation.kind !== 'drop-cell' && mutation.kind !== 'stray-quote')
          return;
        const outcome = outcomeOf(mutateReport(ORIGINAL, mutation));
        const line = 2 + (mutation.row % ROWS.length);
        const others = ROWS.filter((_, i) => i !== line - 2);
        if ('refused' in outcome) {
          // Only when the report is too small to set a row aside.
          expect(maxUnreadableRows(ROWS.length)).toBe(0);
          expect(outcome.refused.message).toContain(`Credential report line ${line}`);
        } else if (outcome.unreadableRows.length > 0) {
          expect(outcome.unreadableRows).toEqual([expect.objectContaining({ line })]);
          expect(outcome.unreadableRows[0]?.problem).toMatch(
            new RegExp(`^Credential report line ${line}[, ]`),
          );
          expect(outcome.rows).toEqual(others);
        } else {
          expect(outcome.rows.filter((_, i) => i !== line - 2)).toEqual(others);
        }
      }),
      { numRuns },
    );
  });

  it('refuses a report with more unreadable rows than it may set aside, naming the count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 0, max: 60 }), (good, bad) => {
        const rows = [
          ...Array.from({ length: good }, (_, i) => ({ user: `user-${i}` })),
          ...Array.from({ length: bad }, (_, i) => ({ user: `odd-${i}`, access_key_1_active: 'maybe' })),
        ];
        const outcome = outcomeOf(reportCsv(rows));
        if (bad <= maxUnreadableRows(good + bad)) {
          expect(outcome).toMatchObject({ rows: { length: good }, unreadableRows: { length: bad } });
        } else {
          expect(outcome).toHaveProperty('refused');
          if ('refused' in outcome)
            expect(outcome.refused.message).toContain(`${bad} of the credential report's ${good + bad} rows`);
        }
      }),
      { numRuns },
    );
  });

  it('throws nothing but CredentialReportFormatError, whatever is done to it, one change after another', () => {
    fc.assert(
      fc.property(fc.array(reportMutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        outcomeOf(
          mutations.reduce((csv, mutation) => (csv === '' ? csv : mutateReport(csv, mutation)), ORIGINAL),
        );
      }),
      { numRuns },
    );
  });

  it('throws nothing but CredentialReportFormatError on any text at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        outcomeOf(text);
      }),
      { numRuns },
    );
  }, 60_000);
});

describe('fetchCredentialReport on any bytes as the report (fast-check)', () => {
  const iamMock = mockClient(IAMClient);
  beforeEach(() => iamMock.reset());

  it('returns rows or rejects with a CredentialReportError, never anything else', async () => {
    const utf8 = new TextEncoder();
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.nat({ max: ORIGINAL.length }), fc.uint8Array({ minLength: 1, maxLength: 8 }))
        .map(([at, junk]) => {
          const whole = utf8.encode(ORIGINAL);
          return new Uint8Array([...whole.subarray(0, at), ...junk, ...whole.subarray(at)]);
        }),
    );
    let content = new Uint8Array();
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).callsFake(() => ({ Content: content, GeneratedTime: new Date() }));
    const iam = new IAMClient({ region: 'us-east-1' });
    await fc.assert(
      fc.asyncProperty(bytes, async (generated) => {
        content = generated;
        try {
          const report = await fetchCredentialReport(iam, { budgetMs: 1_000 });
          expect(Array.isArray(report.rows)).toBe(true);
        } catch (error: unknown) {
          expect(error).toBeInstanceOf(CredentialReportError);
        }
      }),
      { numRuns },
    );
  }, 60_000);
});
