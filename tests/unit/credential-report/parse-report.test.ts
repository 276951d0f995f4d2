import { describe, expect, it } from 'vitest';
import { CredentialReportFormatError } from '../../../shared/credential-report/errors.ts';
import { maxUnreadableRows, parseCredentialReport } from '../../../shared/credential-report/parse-report.ts';
import { CREDENTIAL_REPORT_COLUMNS, slotHoldsKey } from '../../../shared/credential-report/types.ts';
import { reportCsv, sampleReportCsv } from '../../helpers/credential-report-csv.ts';

describe('parseCredentialReport on the AWS-format sample', () => {
  const rows = parseCredentialReport(sampleReportCsv()).rows;
  const row = (user: string) => {
    const found = rows.find((candidate) => candidate.user === user);
    if (found === undefined) throw new Error(`no row for ${user}`);
    return found;
  };

  it('reads every row', () => {
    expect(rows.map((r) => r.user)).toEqual([
      '<root_account>',
      'alice',
      'build-bot',
      'first.last+ops@corp.example',
      'carol',
      'legacy-etl',
    ]);
  });

  it('marks the root row and keeps its not_supported fields distinct', () => {
    const root = row('<root_account>');
    expect(root.isRoot).toBe(true);
    expect(root.passwordEnabled).toBe('not_supported');
    expect(root.passwordLastChanged).toBe('not_supported');
    expect(root.accessKeys[0]).toMatchObject({ active: true, lastRotated: new Date('2021-04-02T08:30:00Z') });
    expect(rows.filter((r) => r.isRoot)).toHaveLength(1);
  });

  it('keeps N/A, no_information and dates apart', () => {
    expect(row('carol').passwordLastUsed).toBe('no_information');
    expect(row('carol').accessKeys[0].lastRotated).toBe('N/A');
    expect(row('alice').passwordLastUsed).toEqual(new Date('2026-11-20T08:00:00Z'));
    expect(row('build-bot').accessKeys[1]).toMatchObject({
      active: true,
      lastRotated: new Date('2026-10-01T09:00:00Z'),
      lastUsedDate: 'N/A',
      lastUsedRegion: 'N/A',
      lastUsedService: 'N/A',
    });
  });

  it('reads a user under a path and a user name with + and @', () => {
    expect(row('build-bot').arn).toBe('arn:aws:iam::123456789012:user/ci/build-bot');
    expect(row('first.last+ops@corp.example').accessKeys[0]).toMatchObject({
      active: false,
      lastRotated: new Date('2025-06-01T12:00:00Z'),
      lastUsedRegion: 'N/A',
      lastUsedService: 's3',
    });
  });

  it('reads certificates and treats a slot as a key only when it holds one', () => {
    expect(row('legacy-etl').certificates[0]).toEqual({
      slot: 1,
      active: true,
      lastRotated: new Date('2019-03-03T03:03:03Z'),
    });
    expect(row('carol').accessKeys.some(slotHoldsKey)).toBe(false);
    expect(slotHoldsKey(row('first.last+ops@corp.example').accessKeys[0])).toBe(true);
    expect(row('build-bot').accessKeys.filter(slotHoldsKey)).toHaveLength(2);
  });
});

describe('parseCredentialReport: format variations AWS allows', () => {
  it('accepts TRUE and FALSE in capitals, as documented', () => {
    const [row] = parseCredentialReport(
      reportCsv([{ user: 'a', mfa_active: 'TRUE', access_key_1_active: 'FALSE' }]),
    ).rows;
    expect(row?.mfaActive).toBe(true);
    expect(row?.accessKeys[0].active).toBe(false);
  });

  it('reads quoted fields, CRLF line endings and a byte-order mark', () => {
    const csv = `\uFEFF${reportCsv([{ user: 'quoted', arn: 'arn:aws:iam::123456789012:user/has,comma' }]).replaceAll('\n', '\r\n')}`;
    const [row] = parseCredentialReport(csv).rows;
    expect(row?.user).toBe('quoted');
    expect(row?.arn).toBe('arn:aws:iam::123456789012:user/has,comma');
  });

  it('reads columns by name, whatever their order', () => {
    const reordered = [...CREDENTIAL_REPORT_COLUMNS].reverse();
    const values: Record<string, string> = { user: 'z', arn: 'arn:aws:iam::123456789012:user/z' };
    const csv = `${reordered.join(',')}\n${reordered.map((c) => values[c] ?? (c.endsWith('active') ? 'false' : 'N/A')).join(',')}\n`;
    const [row] = parseCredentialReport(csv).rows;
    expect(row).toMatchObject({ user: 'z', arn: 'arn:aws:iam::123456789012:user/z', isRoot: false });
  });

  it('returns no rows for a report with a header only', () => {
    expect(parseCredentialReport(`${CREDENTIAL_REPORT_COLUMNS.join(',')}\n`).rows).toEqual([]);
  });
});

describe('parseCredentialReport fails closed', () => {
  const header = CREDENTIAL_REPORT_COLUMNS.join(',');

  it.each([
    {
      case: 'a missing column',
      csv: header.replace(',mfa_active', ''),
      message: /missing column\(s\) mfa_active/,
    },
    {
      case: 'an unknown column',
      csv: `${header},access_key_3_active`,
      message: /unknown column\(s\) access_key_3_active/,
    },
    { case: 'a repeated column', csv: `${header},user`, message: /repeated column\(s\) user/ },
    {
      case: 'a renamed column',
      csv: header.replace('access_key_1_active', 'key_1_active'),
      message: /key_1_active/,
    },
    { case: 'an empty report', csv: '', message: /empty/ },
  ])('refuses $case in the header', ({ csv, message }) => {
    expect(() => parseCredentialReport(`${csv}\n`).rows).toThrow(CredentialReportFormatError);
    expect(() => parseCredentialReport(`${csv}\n`).rows).toThrow(message);
  });

  it.each([
    {
      column: 'access_key_1_active',
      value: 'yes',
      message: /line 2, column access_key_1_active is not true, false/,
    },
    {
      column: 'access_key_1_last_rotated',
      value: 'last week',
      message: /line 2, column access_key_1_last_rotated/,
    },
    {
      column: 'user_creation_time',
      value: '2026-13-45T00:00:00+00:00',
      message: /column user_creation_time/,
    },
    { column: 'user', value: '', message: /line 2, column user is empty/ },
  ] as const)('names the line and column of a bad $column value', ({ column, value, message }) => {
    expect(() => parseCredentialReport(reportCsv([{ [column]: value }])).rows).toThrow(message);
  });

  it('refuses a truncated row', () => {
    const csv = reportCsv([{ user: 'a' }, { user: 'b' }]);
    const truncated = csv.slice(0, csv.lastIndexOf(',N/A'));
    expect(() => parseCredentialReport(truncated).rows).toThrow(CredentialReportFormatError);
  });

  it('refuses text that is not CSV', () => {
    expect(() => parseCredentialReport(`${header}\n"unterminated,quote\n`).rows).toThrow(/not valid CSV/);
  });
});

describe('parseCredentialReport refuses values outside their column’s documented form', () => {
  it.each([
    { column: 'user', value: 'alice"x', message: /column user is not an IAM user name/ },
    { column: 'user', value: 'a'.repeat(65), message: /column user is not an IAM user name/ },
    {
      column: 'arn',
      value: 'arn:aws:iam::123456789012:user/bob"x',
      message: /column arn is not an IAM user or root ARN/,
    },
    { column: 'arn', value: 'not-an-arn', message: /column arn is not an IAM user or root ARN/ },
    {
      column: 'access_key_1_last_used_region',
      value: 'us east 1',
      message: /is not a region or service name/,
    },
    { column: 'access_key_2_last_used_service', value: 's3"', message: /is not a region or service name/ },
  ] as const)('refuses $column = $value', ({ column, value, message }) => {
    expect(() => parseCredentialReport(reportCsv([{ user: 'bob', [column]: value }])).rows).toThrow(message);
  });

  it('accepts a user under a path, the root ARN and the partitions', () => {
    const rows = parseCredentialReport(
      reportCsv([
        { user: 'ci-bot', arn: 'arn:aws:iam::123456789012:user/ci/build/ci-bot' },
        { user: 'gov', arn: 'arn:aws-us-gov:iam::123456789012:user/gov' },
        { user: '<root_account>', arn: 'arn:aws:iam::123456789012:root' },
      ]),
    ).rows;
    expect(rows.map((row) => row.user)).toEqual(['ci-bot', 'gov', '<root_account>']);
  });
});

// One odd row must not stop enforcement for the whole account: it is set aside, its user looked at live.
describe('parseCredentialReport sets an unreadable row aside', () => {
  const users = (count: number) => Array.from({ length: count }, (_, i) => ({ user: `user-${i}` }));

  it.each([
    {
      case: 'a flag that is not true or false',
      row: { user: 'odd.one', access_key_1_active: 'maybe' },
      user: 'odd.one',
      problem: 'Credential report line 5, column access_key_1_active is not true, false or N/A: "maybe"',
    },
    {
      case: 'a date that is not a date',
      row: { user: 'odd=two', access_key_2_last_rotated: 'last week' },
      user: 'odd=two',
      problem: 'Credential report line 5, column access_key_2_last_rotated is not a timestamp or N/A',
    },
    {
      case: 'an ARN that is not an ARN',
      row: { user: 'odd@three', arn: 'not-an-arn' },
      user: 'odd@three',
      problem: 'Credential report line 5, column arn is not an IAM user or root ARN',
    },
    {
      case: 'a user name IAM would not allow (the user cannot be named)',
      row: { user: 'odd"four', arn: 'arn:aws:iam::123456789012:user/x' },
      user: undefined,
      problem: 'Credential report line 5, column user is not an IAM user name',
    },
  ])('$case: the other rows are read', ({ row, user, problem }) => {
    const { rows, unreadableRows } = parseCredentialReport(
      reportCsv([...users(3), row, ...users(5).slice(3)]),
    );

    expect(rows.map((r) => r.user)).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);
    expect(unreadableRows).toEqual([
      { line: 5, problem: expect.stringContaining(problem), ...(user === undefined ? {} : { user }) },
    ]);
  });

  it('sets aside a row with the wrong number of fields, naming the line', () => {
    const csv = reportCsv(users(4)).split('\n');
    csv[2] = `${csv[2]},extra`;
    const { rows, unreadableRows } = parseCredentialReport(csv.join('\n'));

    expect(rows.map((r) => r.user)).toEqual(['user-0', 'user-2', 'user-3']);
    expect(unreadableRows).toEqual([
      { line: 3, problem: 'Credential report line 3 has 23 fields, the header 22' },
    ]);
  });

  // moto writes user names unquoted; a comma then splits the name and the ARN that ends with it.
  it.each([
    ['one comma', 'dev,ops'],
    ['two commas', 'a,b,c'],
    ['a comma among the other characters IAM allows', 'x+y=z,w.v@u-t_s'],
  ])('rejoins a user name with %s written unquoted, as its own ARN confirms', (_case, name) => {
    const quoted = reportCsv([{ user: name, access_key_1_active: 'true' }]);
    const unquoted = quoted.replaceAll('"', '');
    const { rows, unreadableRows } = parseCredentialReport(
      `${unquoted}${reportCsv(users(3)).split('\n').slice(1).join('\n')}`,
    );

    expect(unreadableRows).toEqual([]);
    expect(rows[0]).toMatchObject({ user: name, arn: `arn:aws:iam::123456789012:user/${name}` });
    expect(rows[0]?.accessKeys[0].active).toBe(true);
    expect(parseCredentialReport(quoted).rows[0]).toEqual(rows[0]);
  });

  it('sets aside an unquoted row whose ARN does not end with the rejoined name', () => {
    const csv = reportCsv([{ user: 'dev,ops', arn: 'arn:aws:iam::123456789012:user/dev,opz' }, ...users(3)]);
    const { rows, unreadableRows } = parseCredentialReport(csv.replaceAll('"', ''));

    expect(rows).toHaveLength(3);
    expect(unreadableRows).toEqual([
      { line: 2, problem: 'Credential report line 2 has 24 fields, the header 22' },
    ]);
  });

  it.each([
    { rows: 1, limit: 0 },
    { rows: 3, limit: 1 },
    { rows: 4, limit: 1 },
    { rows: 5, limit: 2 },
    { rows: 13, limit: 2 },
    { rows: 100, limit: 2 },
    { rows: 101, limit: 3 },
    { rows: 1000, limit: 20 },
    { rows: 5000, limit: 25 },
  ])('sets aside at most $limit of $rows rows', ({ rows, limit }) => {
    expect(maxUnreadableRows(rows)).toBe(limit);
  });

  it('refuses a report with more unreadable rows than that, naming the count and the first problems', () => {
    const odd = Array.from({ length: 3 }, (_, i) => ({ user: `odd-${i}`, mfa_active: 'perhaps' }));

    expect(() => parseCredentialReport(reportCsv([...users(10), ...odd]))).toThrow(
      /^3 of the credential report's 13 rows cannot be read, more than the 2 a run sets aside: the report itself is damaged \(Credential report line 12, column mfa_active/,
    );
  });
});
