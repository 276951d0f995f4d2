// TEST FIXTURES, not shipped: small stand-ins for the organization package's three handlers
// (functions/org-*.ts), with the contract's event and result shapes (shared/organization/CONTRACT.md), so
// the state machine and the emulator plumbing can be tested on their own.
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { readJsonObject } from './step-functions.ts';

export interface StandInAccount {
  accountId: string;
  name: string;
}

export interface AccountEvent {
  night: string;
  dryRun: boolean;
  account: StandInAccount;
}

/** org-list-accounts: lists the given accounts for the night asked for. */
export const listAccountsStandIn = (accounts: StandInAccount[]) => async (event: unknown) => {
  const { night, dryRun } = event as { night: string; dryRun: boolean };
  return { night, dryRun, accounts, skipped: [] };
};

/** org-enforce-account: a small AccountRunResult for the account. */
export function doneResult({ account, dryRun }: AccountEvent) {
  return {
    accountId: account.accountId,
    name: account.name,
    status: 'done',
    dryRun,
    counts: { deactivated: 1, deleted: 0, warned: 0, exempt: 0, held: 0, failed: 0, backlog: 0, planned: 1 },
    guardTripped: false,
    passwordPolicyChanged: false,
    rootKeyFindings: 0,
  };
}

/** Every iteration a Distributed Map's ResultWriter left under `prefix`: each output, parsed. */
export async function storedIterations(s3: S3Client, bucket: string, prefix: string): Promise<unknown[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const manifests = (listed.Contents ?? []).flatMap((item) =>
    item.Key?.endsWith('manifest.json') ? [item.Key] : [],
  );
  const iterations: unknown[] = [];
  for (const key of manifests) {
    const manifest = (await readJsonObject(s3, bucket, key)) as {
      ResultFiles: { SUCCEEDED: { Key: string }[] };
    };
    for (const file of manifest.ResultFiles.SUCCEEDED) {
      const records = (await readJsonObject(s3, bucket, file.Key)) as { Output: string }[];
      iterations.push(...records.map((record) => JSON.parse(record.Output) as unknown));
    }
  }
  return iterations;
}
