import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
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

const requestHandler = { connectionTimeout: CONNECTION_TIMEOUT_MS, socketTimeout: SOCKET_IDLE_TIMEOUT_MS };

/** An IAM client with the retry settings that suit IAM's throttling. */
export function createIamClient(settings: AwsClientSettings): IAMClient {
  return new IAMClient({ retryMode: settings.retryMode, maxAttempts: settings.maxAttempts, requestHandler });
}

export function createEventBridgeClient(settings: AwsClientSettings): EventBridgeClient {
  return new EventBridgeClient({
    retryMode: settings.retryMode,
    maxAttempts: settings.maxAttempts,
    requestHandler,
  });
}

export function createSesClient(settings: AwsClientSettings): SESv2Client {
  return new SESv2Client({
    retryMode: settings.retryMode,
    maxAttempts: settings.maxAttempts,
    requestHandler,
  });
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
