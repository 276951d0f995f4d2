import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `tsx scripts/bench.ts` with the arguments; none of these cases gets as far as the emulator. */
function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench.ts', ...args],
      { cwd: REPO_ROOT },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

describe('npm run bench', () => {
  it.each([
    [['--sizes', '100,0'], '--sizes must be a whole number from 1 to 5000 (got "0")'],
    [['--sizes', '100,6000'], '--sizes must be a whole number from 1 to 5000 (got "6000")'],
    [['--due', 'lots'], '--due must be a percentage from 0 to 100 (got "lots")'],
    [['--iterations', '0'], '--iterations must be a whole number from 1 to 10000 (got "0")'],
    [['--colds'], "Unknown option '--colds'"],
  ])('refuses %j with the option named, before starting anything', async (args, message) => {
    const { code, stdout, stderr } = await bench(args);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: npm run bench');
    expect(stderr).not.toContain('Starting the AWS emulator');
    expect(stdout).toBe('');
  });

  it('prints its usage on --help', async () => {
    const { code, stdout } = await bench(['--help']);

    expect(code).toBe(0);
    expect(stdout).toContain('--sizes <n,n,...>');
    expect(stdout).toContain('--skip-package');
  });
});
