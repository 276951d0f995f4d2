import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { awsErrorName, describeError, isThrottlingError } from '../kernel/index.ts';
import { CredentialReportError, CredentialReportTimeoutError } from './errors.ts';
import { parseCredentialReport } from './parse-report.ts';
import type { CredentialReport } from './types.ts';

/** The IAM actions this adapter calls; tests/unit/deployment/permissions.test.ts checks the roles grant them. */
export const CREDENTIAL_REPORT_IAM_ACTIONS = [
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
] as const;

// Wire codes and SDK class names of the states that mean "wait and ask again".
const NOT_READY = new Set(['CredentialReportNotReadyException', 'ReportInProgress']);
const MUST_REGENERATE = new Set([
  'CredentialReportNotPresentException',
  'ReportNotPresent',
  'CredentialReportExpiredException',
  'ReportExpired',
]);

// Time kept back from the credential-report wait for acting, recording and publishing.
const ACTING_RESERVE_MS = 60_000;

/** How long a run may wait for the credential report: its time left less a minute, at least half of it. */
export function reportWaitBudgetMs(timeLeftMs: number): number {
  return Math.max(timeLeftMs - ACTING_RESERVE_MS, timeLeftMs / 2);
}

export interface FetchReportOptions {
  /** How long the whole fetch may take, in milliseconds (the caller keeps the rest of its time for acting). */
  budgetMs: number;
  /** First wait between polls; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic-enough wall clock for the budget (not the decision clock). */
  clock?: () => number;
  onWait?: (reason: string, delayMs: number) => void;
}

/**
 * Fetches a current credential report: Generate, poll with backoff until COMPLETE, Get, decode, parse.
 * @throws {CredentialReportTimeoutError} when the report is not ready within the budget.
 * @throws {CredentialReportFormatError} when the report cannot be read with certainty.
 * @throws {CredentialReportError} for any other failure, with the AWS error as `cause`.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  options: FetchReportOptions,
): Promise<CredentialReport> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? Date.now;
  const deadline = clock() + options.budgetMs;
  let delayMs = options.initialDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 8_000;
  let attempts = 0;

  const waitBeforeRetry = async (reason: string, error?: unknown) => {
    if (clock() + delayMs > deadline) {
      throw new CredentialReportTimeoutError(
        `The credential report was not ready within ${Math.round(options.budgetMs / 1000)} s after ${attempts} attempt(s) (last state: ${reason}); no action was taken`,
        { cause: error },
      );
    }
    options.onWait?.(reason, delayMs);
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, maxDelayMs);
  };

  for (;;) {
    attempts += 1;
    let state: string | undefined;
    try {
      state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
    } catch (error: unknown) {
      // IAM answers GenerateCredentialReport with LimitExceeded when asked too often. The SDK retries it as
      // throttling, up to AWS_MAX_ATTEMPTS (tests/faults/sdk-retries.test.ts); when it still fails, this
      // adapter backs off on it itself, within the budget.
      if (!isThrottlingError(error)) {
        throw new CredentialReportError(`Could not start the credential report: ${describeError(error)}`, {
          cause: error,
        });
      }
      await waitBeforeRetry(`generate throttled (${awsErrorName(error)})`, error);
      continue;
    }
    if (state !== 'COMPLETE') {
      await waitBeforeRetry(`report ${state ?? 'state unknown'}`);
      continue;
    }
    try {
      const response = await iam.send(new GetCredentialReportCommand({}));
      if (response.Content === undefined)
        throw new CredentialReportError('GetCredentialReport returned no content');
      return {
        generatedAt: response.GeneratedTime ?? new Date(clock()),
        ...parseCredentialReport(decodeReport(response.Content)),
      };
    } catch (error: unknown) {
      if (error instanceof CredentialReportError) throw error;
      const name = awsErrorName(error) ?? '';
      if (NOT_READY.has(name) || MUST_REGENERATE.has(name) || isThrottlingError(error)) {
        await waitBeforeRetry(`get failed with ${name}`, error);
        continue;
      }
      throw new CredentialReportError(`Could not get the credential report: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
}

function decodeReport(content: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch (error: unknown) {
    throw new CredentialReportError('The credential report is not valid UTF-8 text', { cause: error });
  }
}
