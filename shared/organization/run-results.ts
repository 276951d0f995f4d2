import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { describeError } from '../kernel/index.ts';
import { RunResultsError } from './errors.ts';

/** The S3 actions this adapter calls; the digest's role grants them on the results bucket only. */
export const RUN_RESULTS_S3_ACTIONS = ['s3:GetObject', 's3:ListBucket'] as const;

// A Distributed Map's ResultWriter writes <prefix>/<map run id>/manifest.json, naming result files that
// each hold a JSON array of child executions: Output (a JSON string) when it succeeded, Error and Cause
// when it failed for good. The schemas are made on use: a module-level zod call would keep this adapter
// (and its S3 permissions) in every bundle that imports the package, used or not.
const manifestSchema = () =>
  z.object({
    ResultFiles: z.object({
      SUCCEEDED: z.array(z.object({ Key: z.string() })).default([]),
      FAILED: z.array(z.object({ Key: z.string() })).default([]),
      PENDING: z.array(z.object({ Key: z.string() })).default([]),
    }),
  });
const childExecutionsSchema = () =>
  z.array(
    z.object({
      Input: z.string().optional(),
      Output: z.string().optional(),
      Error: z.string().optional(),
      Cause: z.string().optional(),
    }),
  );

/**
 * One Map iteration as the ResultWriter stored it: the worker's output itself, or for an iteration that
 * failed for good `{ input, error, cause }` (`collectResults` reads both).
 */
export type StoredIteration = unknown;

/**
 * Reads back every iteration a Distributed Map wrote under `prefix` (its manifest, then each result file).
 * @throws {RunResultsError} when a file is missing, unreadable, or not what the ResultWriter writes.
 */
export async function readMapResults(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<StoredIteration[]> {
  const manifests: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await call(`list s3://${bucket}/${prefix}`, () =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken })),
    );
    manifests.push(
      ...(page.Contents ?? []).flatMap((item) => (item.Key?.endsWith('manifest.json') ? [item.Key] : [])),
    );
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  if (manifests.length === 0)
    throw new RunResultsError(`No Map results manifest under s3://${bucket}/${prefix}`);

  const iterations: StoredIteration[] = [];
  for (const manifestKey of manifests) {
    const manifest = parse(manifestSchema(), await readJson(s3, bucket, manifestKey), manifestKey);
    const files = [
      ...manifest.ResultFiles.SUCCEEDED,
      ...manifest.ResultFiles.FAILED,
      ...manifest.ResultFiles.PENDING,
    ];
    for (const file of files) {
      for (const child of parse(childExecutionsSchema(), await readJson(s3, bucket, file.Key), file.Key)) {
        iterations.push(
          child.Output !== undefined
            ? jsonOf(child.Output, file.Key)
            : {
                input: child.Input === undefined ? undefined : jsonOf(child.Input, file.Key),
                error: child.Error ?? 'States.Unknown',
                cause: child.Cause ?? '',
              },
        );
      }
    }
  }
  return iterations;
}

/**
 * Reads one JSON object of the results bucket (a stored key inventory, a manifest).
 * @throws {RunResultsError} when it cannot be read or is not JSON.
 */
async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const answer = await call(`read s3://${bucket}/${key}`, () =>
    s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
  );
  const text = await call(
    `read s3://${bucket}/${key}`,
    async () => (await answer.Body?.transformToString()) ?? '',
  );
  return jsonOf(text, key);
}

async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error: unknown) {
    throw new RunResultsError(`Could not ${what}: ${describeError(error)}`, { cause: error });
  }
}

function jsonOf(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error: unknown) {
    throw new RunResultsError(`${key} is not JSON: ${describeError(error)}`, { cause: error });
  }
}

function parse<Schema extends z.ZodType>(schema: Schema, value: unknown, key: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new RunResultsError(`${key} is not what a Map's ResultWriter writes: ${result.error.message}`);
  return result.data;
}

const inventorySchema = () => z.array(z.array(z.string()));

/**
 * Reads back one account's key inventory that its worker stored.
 * @throws {RunResultsError} when it cannot be read or is not an inventory.
 */
export async function readKeyInventory(s3: S3Client, bucket: string, key: string): Promise<string[][]> {
  return parse(inventorySchema(), await readJson(s3, bucket, key), key);
}
