import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsClientSettings } from './config.ts';

// Endpoint, region and credentials come from the SDK's own standard settings (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_IAM, AWS_REGION, the credentials chain): no endpoint plumbing of our own, so the code
// that runs against the emulator is the code that ships.

/**
 * How long a connection may stay silent before the SDK drops it and retries the call. The SDK's default
 * is no limit: one answer that never comes (a half-open connection) would hold the run until Lambda's
 * timeout kills it. Every answer these services give is small and quick; a large one keeps the socket busy.
 */
export const SOCKET_IDLE_TIMEOUT_MS = 15_000;
/** How long opening a connection may take before the attempt is retried. */
export const CONNECTION_TIMEOUT_MS = 5_000;

/** Temporary credentials, such as an assumed role's. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

const requestHandler = { connectionTimeout: CONNECTION_TIMEOUT_MS, socketTimeout: SOCKET_IDLE_TIMEOUT_MS };

/** What every client of the service is built with: the retry settings and the connection timeouts. */
const standard = (settings: AwsClientSettings) => ({
  retryMode: settings.retryMode,
  maxAttempts: settings.maxAttempts,
  requestHandler,
});

/**
 * An IAM client with the retry settings that suit IAM's throttling; with `credentials` (a member account's
 * assumed role), every call acts in that account.
 */
export function createIamClient(settings: AwsClientSettings, credentials?: AwsCredentials): IAMClient {
  return new IAMClient({
    ...standard(settings),
    ...(credentials === undefined ? {} : { credentials }),
  });
}

export function createStsClient(settings: AwsClientSettings): STSClient {
  return new STSClient(standard(settings));
}

export function createOrganizationsClient(settings: AwsClientSettings): OrganizationsClient {
  return new OrganizationsClient(standard(settings));
}

export function createS3Client(settings: AwsClientSettings): S3Client {
  return new S3Client(standard(settings));
}

export function createEventBridgeClient(settings: AwsClientSettings): EventBridgeClient {
  return new EventBridgeClient(standard(settings));
}

export function createSesClient(settings: AwsClientSettings): SESv2Client {
  return new SESv2Client(standard(settings));
}

export function createStepFunctionsClient(settings: AwsClientSettings): SFNClient {
  return new SFNClient({ retryMode: settings.retryMode, maxAttempts: settings.maxAttempts, requestHandler });
}

/** The most attempts the chat client makes per message. */
export const CHAT_MAX_ATTEMPTS = 3;

/**
 * An SNS client for chat notifications, in the topic's region (a topic ARN names it; SNS refuses a publish
 * to a topic of another region). At most 3 attempts, whatever AWS_MAX_ATTEMPTS says: a chat message is not
 * worth holding the run's owner mail and digest for the half minute of backoff that 8 attempts can take.
 */
export function createSnsClient(settings: AwsClientSettings, region?: string): SNSClient {
  return new SNSClient({
    retryMode: settings.retryMode,
    maxAttempts: Math.min(settings.maxAttempts, CHAT_MAX_ATTEMPTS),
    requestHandler,
    ...(region === undefined ? {} : { region }),
  });
}
