import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository's root, where npm scripts run. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs an npm script as a user would, with `env` as its environment, and collects what it prints. */
export function runNpmScript(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
