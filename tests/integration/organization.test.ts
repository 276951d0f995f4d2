import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { SentEmail } from '../../scripts/emulator/index.ts';
import type { AccountRunResult } from '../../shared/organization/index.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { decodeHeader, parseMail } from '../helpers/mime.ts';
import {
  loadOrgDigestHandler,
  loadOrgEnforceAccountHandler,
  loadOrgListAccountsHandler,
  memberIamClient,
  ORG_MAIL,
  seedThreeAccountOrganization,
  userWithKey,
} from '../helpers/organization.ts';

const { endpoint, control } = useEmulator();
const SECURITY_ACCOUNT = '123456789012';
const NIGHT = '2026-11-30';
// The security account is the management account here; a service-managed StackSet does not reach it, so
// it is excluded as a deployment would (or given the member role by a plain stack).
const SETTINGS = { ...ORG_MAIL, ORG_EXCLUDE_ACCOUNTS: SECURITY_ACCOUNT };

async function keyStatuses(accountId: string, userName: string): Promise<string[]> {
  const iam = await memberIamClient(accountId, endpoint);
  const answer = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return (answer.AccessKeyMetadata ?? []).map((key) => key.Status ?? '');
}

const subjectOf = (mail: SentEmail) =>
  mail.kind === 'raw' ? decodeHeader(parseMail(mail.rawData).headers.subject ?? '') : mail.subject;
const partsOf = (mail: SentEmail) => (mail.kind === 'raw' ? parseMail(mail.rawData).parts : []);
const to = (mail: SentEmail) =>
  mail.kind === 'raw' ? mail.destinations : (mail.destinations.ToAddresses ?? []);

/** The night as the state machine runs it, by hand: list, each account in turn, digest. */
async function runNight(settings: Record<string, string> = SETTINGS, event: Record<string, unknown> = {}) {
  const listing = await (await loadOrgListAccountsHandler(settings))({ night: NIGHT, ...event });
  const worker = await loadOrgEnforceAccountHandler(settings);
  const results: AccountRunResult[] = [];
  for (const account of listing.accounts) {
    results.push(await worker({ night: listing.night, dryRun: listing.dryRun, account }));
  }
  const summary = await (await loadOrgDigestHandler(settings))({
    night: listing.night,
    dryRun: listing.dryRun,
    listed: listing,
    results,
  });
  return { listing, results, summary };
}

describe('the organization run against an emulated organization', () => {
  it('works every member account through its member role, reports the one without it, and touches nothing else', async () => {
    const org = await seedThreeAccountOrganization(control, endpoint);
    const [payments, analytics, sandbox] = org.accounts;
    await control.seedUsers([userWithKey('security.overdue', 150)]);

    const { listing, results, summary } = await runNight();

    expect(listing.accounts.map((account) => account.name)).toEqual(
      [payments, analytics, sandbox]
        .map((account) => account?.name)
        .sort((a, b) => {
          const id = (name?: string) =>
            org.accounts.find((account) => account.name === name)?.accountId ?? '';
          return id(a).localeCompare(id(b));
        }),
    );
    expect(listing.skipped).toEqual([{ accountId: SECURITY_ACCOUNT, name: 'master', reason: 'excluded' }]);
    const byName = (name: string) => results.find((result) => result.name === name);
    expect(byName('payments')).toMatchObject({
      status: 'done',
      alias: 'payments-prod',
      counts: { deactivated: 1, deleted: 0 },
      passwordPolicyChanged: true,
    });
    expect(byName('analytics')).toMatchObject({ status: 'done', counts: { deactivated: 1, warned: 1 } });
    expect(byName('sandbox')).toMatchObject({ status: 'failed', failure: { kind: 'role-missing' } });
    expect(byName('sandbox')?.failure?.message).toContain(
      `arn:aws:iam::${sandbox?.accountId}:role/key-hygiene-member`,
    );

    // The changes happened in the member accounts, and nowhere else.
    expect(await keyStatuses(payments?.accountId ?? '', 'pay.overdue')).toEqual(['Inactive']);
    expect(await keyStatuses(payments?.accountId ?? '', 'pay.fresh')).toEqual(['Active']);
    expect(await keyStatuses(analytics?.accountId ?? '', 'ana.overdue')).toEqual(['Inactive']);
    expect(await keyStatuses(sandbox?.accountId ?? '', 'sand.overdue')).toEqual(['Active']);
    const security = await iamClient(endpoint).send(
      new ListAccessKeysCommand({ UserName: 'security.overdue' }),
    );
    expect(security.AccessKeyMetadata?.map((key) => key.Status)).toEqual(['Active']);

    expect(summary.totals).toMatchObject({
      accounts: 3,
      done: 2,
      failedAccounts: 1,
      skipped: 1,
      deactivated: 2,
    });
    expect(summary.mail.status).toBe('sent');
  });

  it('names the account in every owner mail and digest, and sends one organization digest with every key', async () => {
    const org = await seedThreeAccountOrganization(control, endpoint);
    const payments = org.accounts.find((account) => account.name === 'payments');

    await runNight();
    const mails = await control.sentEmails();

    const ownerMail = mails.find((mail) => to(mail).includes('pay.overdue@example.com'));
    expect(ownerMail && subjectOf(ownerMail)).toContain(
      `(AWS account ${payments?.accountId} (payments-prod))`,
    );
    const accountDigests = mails.filter((mail) => subjectOf(mail).includes('Nightly report'));
    expect(accountDigests).toHaveLength(2);
    for (const account of org.accounts.filter((member) => member.memberRole)) {
      const label =
        account.alias === undefined ? account.accountId : `${account.accountId} (${account.alias})`;
      expect(accountDigests.filter((mail) => subjectOf(mail).includes(`, account ${label}:`))).toHaveLength(
        1,
      );
    }
    const [digest, ...more] = mails.filter((mail) => subjectOf(mail).includes('Organization report'));
    expect(more).toEqual([]);
    expect(digest && subjectOf(digest)).toBe(
      `[key-hygiene] Organization report ${NIGHT}: 3 accounts, 2 deactivated, 0 deleted, 1 warned, 1 account failed`,
    );
    expect(digest && to(digest)).toContain(ORG_MAIL.SECURITY_TEAM_EMAILS);
    const text =
      partsOf(digest as SentEmail).find((part) => part.contentType.startsWith('text/plain'))?.body ?? '';
    // The accounts table: the id, its alias after it; every figure of the account.
    expect(text).toMatch(new RegExp(`${payments?.accountId} \\[payments-prod\\]\\s+done\\s+1\\s+0`));
    expect(text).toMatch(/sandbox\)\s+member role missing/);
    expect(text).toContain('excluded (ORG_EXCLUDE_ACCOUNTS');
    const csv =
      partsOf(digest as SentEmail).find((part) => part.contentType.startsWith('text/csv'))?.body ?? '';
    const rows = csv.trim().split('\n');
    expect(rows[0]).toMatch(/^account_id,account_alias,account_name,user,/);
    expect(
      rows.filter((row) => row.startsWith(`${payments?.accountId},payments-prod,payments,pay.`)),
    ).toHaveLength(2);
    expect(rows.some((row) => row.includes('sand.overdue'))).toBe(false);
  });

  it('in a dry run changes nothing and mails no owner', async () => {
    const org = await seedThreeAccountOrganization(control, endpoint);
    const payments = org.accounts.find((account) => account.name === 'payments');

    const { results, summary } = await runNight(SETTINGS, { dryRun: true });

    expect(await keyStatuses(payments?.accountId ?? '', 'pay.overdue')).toEqual(['Active']);
    expect(results.filter((result) => result.status === 'done').every((result) => result.dryRun)).toBe(true);
    expect(summary.totals.planned).toBe(2);
    const mails = await control.sentEmails();
    expect(
      mails.filter((mail) => to(mail).some((address) => address.endsWith('.overdue@example.com'))),
    ).toEqual([]);
  });

  it('stores each key inventory in the results bucket and reads a Distributed Map’s results back from it', async () => {
    await seedThreeAccountOrganization(control, endpoint);
    const s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'org-results' }));
    const settings = { ...SETTINGS, ORG_RESULTS_BUCKET: 'org-results', AWS_S3_FORCE_PATH_STYLE: 'true' };
    const listing = await (await loadOrgListAccountsHandler(settings))({ night: NIGHT });
    const worker = await loadOrgEnforceAccountHandler(settings);
    const iterations = [];
    for (const account of listing.accounts) {
      const result = await worker({ night: NIGHT, dryRun: false, account });
      iterations.push({
        Input: JSON.stringify({ account }),
        Output: JSON.stringify(result),
        Status: 'SUCCEEDED',
      });
      expect(result.keys).toBeUndefined();
    }
    // As a Distributed Map's ResultWriter leaves them: a manifest naming the result files.
    const prefix = `results/${NIGHT}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: 'org-results',
        Key: `${prefix}/run-1/SUCCEEDED_0.json`,
        Body: JSON.stringify(iterations),
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'org-results',
        Key: `${prefix}/run-1/manifest.json`,
        Body: JSON.stringify({
          ResultFiles: { SUCCEEDED: [{ Key: `${prefix}/run-1/SUCCEEDED_0.json` }], FAILED: [], PENDING: [] },
        }),
      }),
    );

    const summary = await (await loadOrgDigestHandler(settings))({
      night: NIGHT,
      dryRun: false,
      listed: listing,
      resultsLocation: { bucket: 'org-results', prefix },
    });

    expect(summary.totals).toMatchObject({ accounts: 3, done: 2, failedAccounts: 1, deactivated: 2 });
    const digest = (await control.sentEmails()).find((mail) =>
      subjectOf(mail).includes('Organization report'),
    );
    const csv =
      partsOf(digest as SentEmail).find((part) => part.contentType.startsWith('text/csv'))?.body ?? '';
    expect(csv).toContain('pay.overdue');
    expect(csv).toContain('ana.nearly');
  });
});

describe('bad organization settings', () => {
  it.each([
    ['ORG_EXCLUDE_ACCOUNTS', '12345'],
    ['ORG_INCLUDE_ACCOUNTS', '123456789012,abc'],
    ['ORG_INCLUDE_OUS', 'ou-bad'],
    ['ORG_MEMBER_ROLE_NAME', 'key hygiene member'],
    ['ORG_MAX_CONCURRENCY', '0'],
  ])(
    '%s=%s stops every organization function before any account is listed or touched',
    async (name, value) => {
      await seedThreeAccountOrganization(control, endpoint);
      await control.clearServedRequests();

      for (const load of [loadOrgListAccountsHandler, loadOrgEnforceAccountHandler, loadOrgDigestHandler]) {
        await expect(load({ ...SETTINGS, [name]: value })).rejects.toThrow(
          new RegExp(`${name}: .*\\(got "${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\)`),
        );
      }
      expect(await control.servedRequests()).toEqual([]);
    },
  );
});
