import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './deployment.ts';

const run = promisify(execFile);

export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: unknown;
  Properties: Record<string, unknown>;
}

export interface CfnTemplate {
  Parameters: Record<string, { Type: string; Default: string; AllowedPattern?: string }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Description?: string; Value: unknown }>;
}

// Packaging must never need credentials: none reach osls, as in scripts/check-package.sh.
const NO_CREDENTIALS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_ENDPOINT_URL',
];

/**
 * Runs this repository's `serverless package` (osls) with the given stage parameters and no AWS
 * credentials, and returns the CloudFormation template, where it was written and the directory holding it
 * and the function packages (removed by `cleanup`).
 */
export async function packageStack(
  params: Record<string, string> = {},
  stage = 'prod',
): Promise<{ template: CfnTemplate; path: string; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'key-hygiene-template-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const name of NO_CREDENTIALS) delete env[name];
  const args = ['package', '--package', dir, '--stage', stage];
  for (const [name, value] of Object.entries(params)) args.push('--param', `${name}=${value}`);
  try {
    await run(join(REPO_ROOT, 'node_modules/.bin/serverless'), args, {
      cwd: REPO_ROOT,
      env,
      maxBuffer: 1 << 24,
    });
  } catch (error: unknown) {
    rmSync(dir, { recursive: true, force: true });
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless ${args.join(' ')} failed:\n${output.stdout ?? ''}${output.stderr ?? ''}`, {
      cause: error,
    });
  }
  const path = join(dir, 'cloudformation-template-update-stack.json');
  const template = JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate;
  return { template, path, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
