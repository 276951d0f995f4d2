import { IAMClient } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, inject, vi } from 'vitest';
import { type EmulatorControl, emulatorControl, emulatorEnvironment } from '../../scripts/emulator/index.ts';

export interface EmulatorContext {
  endpoint: string;
  control: EmulatorControl;
  /** What `beforeEach` stubs into process.env: AWS_ENDPOINT_URL, region and dummy credentials. */
  env: Record<string, string>;
}

/**
 * Points the test file at the shared emulator: before each test the emulator is reset and the AWS
 * environment stubbed, so SDK clients built by the code under test talk to it; after each, unstubbed.
 */
export function useEmulator(): EmulatorContext {
  const endpoint = inject('emulatorEndpoint');
  const control = emulatorControl(endpoint);
  const env = emulatorEnvironment(endpoint);
  beforeEach(async () => {
    await control.reset();
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  return { endpoint, control, env };
}

/** SDK client settings bound to the emulator whatever process.env says. */
export function emulatorClientConfig(endpoint: string = inject('emulatorEndpoint')) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

/** An IAM client for seeding and assertions, bound to the emulator whatever process.env says. */
export function iamClient(endpoint: string = inject('emulatorEndpoint')): IAMClient {
  return new IAMClient(emulatorClientConfig(endpoint));
}
