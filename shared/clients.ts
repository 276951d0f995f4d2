import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AwsClientSettings } from './config.ts';

// Endpoint, region and credentials come from the SDK's own standard settings (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_IAM, AWS_REGION, the credentials chain): no endpoint plumbing of our own, so the code
// that runs against the emulator is the code that ships.

/** An IAM client with the retry settings that suit IAM's throttling. */
export function createIamClient(settings: AwsClientSettings): IAMClient {
  return new IAMClient({ retryMode: settings.retryMode, maxAttempts: settings.maxAttempts });
}

export function createEventBridgeClient(settings: AwsClientSettings): EventBridgeClient {
  return new EventBridgeClient({ retryMode: settings.retryMode, maxAttempts: settings.maxAttempts });
}

export function createSesClient(settings: AwsClientSettings): SESv2Client {
  return new SESv2Client({ retryMode: settings.retryMode, maxAttempts: settings.maxAttempts });
}
