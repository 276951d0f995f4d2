import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AccountListingError,
  listOrganizationAccounts,
  RunResultsError,
  readKeyInventory,
  readMapResults,
  storeKeyInventory,
} from '../../../shared/organization/index.ts';
import { assumeMemberRole } from '../../../shared/organization/member-session.ts';

const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  sts.reset();
  organizations.reset();
  s3.reset();
});

const awsError = (name: string) => Object.assign(new Error(`${name} from AWS`), { name, $metadata: {} });
const ROLE = {
  arn: 'arn:aws:iam::111111111111:role/key-hygiene-member',
  sessionName: 'key-hygiene-2026-11-30',
};

describe('assumeMemberRole', () => {
  it('asks for the member role with the night as session name and returns its credentials', async () => {
    const expiration = new Date('2026-11-30T04:00:00Z');
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIA1',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: expiration,
      },
    });

    const credentials = await assumeMemberRole(new STSClient({}), '111111111111', ROLE);

    expect(credentials).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration,
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: ROLE.arn,
      RoleSessionName: ROLE.sessionName,
      DurationSeconds: 3600,
    });
  });

  it.each([
    ['AccessDenied', 'MemberRoleUnavailableError'],
    ['AccessDeniedException', 'MemberRoleUnavailableError'],
    ['Throttling', 'AccountThrottledError'],
    ['ThrottlingException', 'AccountThrottledError'],
    ['RegionDisabledException', 'OrganizationError'],
  ])('translates %s into %s', async (awsName, ours) => {
    sts.on(AssumeRoleCommand).rejects(awsError(awsName));

    await expect(assumeMemberRole(new STSClient({}), '111111111111', ROLE)).rejects.toMatchObject({
      name: ours,
    });
  });

  it('refuses an answer without credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({});

    await expect(assumeMemberRole(new STSClient({}), '111111111111', ROLE)).rejects.toThrow('no credentials');
  });
});

describe('listOrganizationAccounts', () => {
  it('reads every page of accounts, with their status', async () => {
    organizations
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [{ Id: '111111111111', Name: 'a', Status: 'ACTIVE' }], NextToken: 'p2' })
      .on(ListAccountsCommand, { NextToken: 'p2' })
      .resolves({ Accounts: [{ Id: '222222222222', Name: 'b', Status: 'SUSPENDED' }] });

    expect(await listOrganizationAccounts(new OrganizationsClient({}), [])).toEqual([
      { accountId: '111111111111', name: 'a', status: 'ACTIVE' },
      { accountId: '222222222222', name: 'b', status: 'SUSPENDED' },
    ]);
    expect(organizations.commandCalls(ListAccountsForParentCommand)).toHaveLength(0);
  });

  it('marks the accounts under an included OU, nested OUs and pages included', async () => {
    organizations
      .on(ListAccountsCommand)
      .resolves({
        Accounts: ['111111111111', '222222222222', '333333333333'].map((Id) => ({
          Id,
          Name: Id,
          Status: 'ACTIVE',
        })),
      })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-aaaaaaaa', NextToken: undefined })
      .resolves({ Accounts: [{ Id: '111111111111' }], NextToken: 'more' })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-aaaaaaaa', NextToken: 'more' })
      .resolves({ Accounts: [] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-aaaaaaaa' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-nested00' }] })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-nested00' })
      .resolves({ Accounts: [{ Id: '222222222222' }] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-nested00' })
      .resolves({ OrganizationalUnits: [] });

    const accounts = await listOrganizationAccounts(new OrganizationsClient({}), ['ou-ab12-aaaaaaaa']);

    expect(accounts.map((account) => [account.accountId, account.ous])).toEqual([
      ['111111111111', ['ou-ab12-aaaaaaaa']],
      ['222222222222', ['ou-ab12-aaaaaaaa']],
      ['333333333333', undefined],
    ]);
  });

  it('translates a refusal into AccountListingError', async () => {
    organizations.on(ListAccountsCommand).rejects(awsError('AccessDeniedException'));

    await expect(listOrganizationAccounts(new OrganizationsClient({}), [])).rejects.toThrow(
      AccountListingError,
    );
  });
});

// The part of an S3 body stream the adapter reads.
const body = (text: string) => ({ Body: { transformToString: async () => text } }) as never;

describe('the results bucket', () => {
  it('stores an inventory under the night and the account', async () => {
    s3.on(PutObjectCommand).resolves({});

    const key = await storeKeyInventory(
      new S3Client({}),
      'results',
      { night: '2026-11-30', accountId: '111111111111' },
      [['a']],
    );

    expect(key).toBe('key-hygiene/2026-11-30/keys/111111111111.json');
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'results',
      Key: key,
      Body: '[["a"]]',
    });
  });

  it('reads a ResultWriter manifest and its files: outputs as they are, failures with their input', async () => {
    s3.on(ListObjectsV2Command)
      .resolves({ Contents: [{ Key: 'p/run/manifest.json' }, { Key: 'p/run/SUCCEEDED_0.json' }] })
      .on(GetObjectCommand, { Key: 'p/run/manifest.json' })
      .resolves(
        body(
          JSON.stringify({
            ResultFiles: {
              SUCCEEDED: [{ Key: 'p/run/SUCCEEDED_0.json' }],
              FAILED: [{ Key: 'p/run/FAILED_0.json' }],
            },
          }),
        ),
      )
      .on(GetObjectCommand, { Key: 'p/run/SUCCEEDED_0.json' })
      .resolves(body(JSON.stringify([{ Output: '{"accountId":"1"}', Status: 'SUCCEEDED' }])))
      .on(GetObjectCommand, { Key: 'p/run/FAILED_0.json' })
      .resolves(
        body(
          JSON.stringify([
            { Input: '{"account":{"accountId":"2"}}', Error: 'States.Timeout', Cause: 'late' },
          ]),
        ),
      );

    expect(await readMapResults(new S3Client({}), 'results', 'p')).toEqual([
      { accountId: '1' },
      { input: { account: { accountId: '2' } }, error: 'States.Timeout', cause: 'late' },
    ]);
  });

  it.each([
    ['no manifest', [], {}],
    ['a manifest of another shape', [{ Key: 'p/manifest.json' }], { 'p/manifest.json': '{"files":[]}' }],
    ['a manifest that is not JSON', [{ Key: 'p/manifest.json' }], { 'p/manifest.json': 'not json' }],
  ])('refuses %s with RunResultsError', async (_case, contents, objects: Record<string, string>) => {
    s3.on(ListObjectsV2Command).resolves({ Contents: contents });
    for (const [Key, text] of Object.entries(objects)) s3.on(GetObjectCommand, { Key }).resolves(body(text));

    await expect(readMapResults(new S3Client({}), 'results', 'p')).rejects.toThrow(RunResultsError);
  });

  it('reads back an inventory, refusing one of another shape', async () => {
    s3.on(GetObjectCommand, { Key: 'good' })
      .resolves(body('[["a","b"]]'))
      .on(GetObjectCommand, { Key: 'bad' })
      .resolves(body('[1]'));

    expect(await readKeyInventory(new S3Client({}), 'results', 'good')).toEqual([['a', 'b']]);
    await expect(readKeyInventory(new S3Client({}), 'results', 'bad')).rejects.toThrow(RunResultsError);
  });
});
