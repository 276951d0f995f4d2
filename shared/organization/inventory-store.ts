import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeError } from '../kernel/index.ts';
import { RunResultsError } from './errors.ts';

/** The S3 actions this adapter calls; the worker's role grants them on the results bucket only. */
export const INVENTORY_STORE_S3_ACTIONS = ['s3:PutObject'] as const;

/** `key-hygiene/<night>/keys/<account>.json`: where one account's key inventory of one night goes. */
export function inventoryKey(night: string, accountId: string): string {
  return `key-hygiene/${night}/keys/${accountId}.json`;
}

/**
 * Stores one account's key inventory (the digest CSV's records) in the results bucket, so that the
 * worker's result stays small whatever the account holds; returns the object key.
 * @throws {RunResultsError} when S3 refuses or fails the write.
 */
export async function storeKeyInventory(
  s3: S3Client,
  bucket: string,
  location: { night: string; accountId: string },
  records: string[][],
): Promise<string> {
  const key = inventoryKey(location.night, location.accountId);
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(records),
        ContentType: 'application/json',
      }),
    );
    return key;
  } catch (error: unknown) {
    throw new RunResultsError(
      `Could not store the key inventory at s3://${bucket}/${key}: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
}
