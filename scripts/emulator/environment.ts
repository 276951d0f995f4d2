/**
 * The environment an AWS SDK client needs to talk to the emulator at `endpoint`: AWS_ENDPOINT_URL,
 * AWS_REGION=us-east-1, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY=testing (dummy).
 */
export function emulatorEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
}
