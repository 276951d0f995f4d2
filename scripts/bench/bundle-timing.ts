import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Distribution, distribution } from './distribution.ts';
import { BenchRunError } from './errors.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface FunctionBundle {
  /** The function's name in serverless.yml. */
  name: string;
  /** The deployment package as uploaded to Lambda. */
  zipBytes: number;
  /** Every file of the package, unzipped. */
  files: { path: string; bytes: number }[];
  /** The extracted handler module (the one `.js`, an ES module by the package.json beside it). */
  entry: string;
}

export interface ColdStart {
  repetitions: number;
  /** `import()` of the bundle in a fresh Node process: module evaluation, config, clients. */
  importMs: Distribution;
  /** From the process's start to the handler being ready (Node's own start-up included). */
  readyMs: Distribution;
  /** Resident memory once the handler is ready: the floor under every invocation's peak. */
  rssMib: Distribution;
}

/**
 * Packages every function with `serverless package` (through scripts/check-package.sh: no AWS credentials,
 * cfn-lint on the template) into `workDir`, and unzips each package there.
 * @throws {BenchRunError} when packaging fails or a package holds no single `.js` handler.
 */
export async function packageFunctions(workDir: string): Promise<FunctionBundle[]> {
  const packageDir = join(workDir, 'package');
  await run('bash', ['scripts/check-package.sh'], { CHECK_PACKAGE_DIR: packageDir });
  return unzipFunctions(packageDir, join(workDir, 'unzipped'));
}

/**
 * Unzips each function package `serverless package` wrote to `packageDir` into `unzipDir/<function>`, and
 * finds its handler module: its one `.js` file.
 * @throws {BenchRunError} when `packageDir` holds no package, or a package holds no single `.js` file.
 */
export async function unzipFunctions(packageDir: string, unzipDir: string): Promise<FunctionBundle[]> {
  const zips = (await readdir(packageDir)).filter((file) => file.endsWith('.zip')).sort();
  if (zips.length === 0) throw new BenchRunError(`serverless package left no .zip in ${packageDir}`);
  const bundles: FunctionBundle[] = [];
  for (const zip of zips) {
    const name = zip.replace(/\.zip$/, '');
    const zipPath = join(packageDir, zip);
    const extracted = join(unzipDir, name);
    // Python's zipfile, which the emulator's Python always has, rather than an unzip binary that may not be.
    await run('python3', ['-m', 'zipfile', '-e', zipPath, extracted]);
    const files = await listFiles(extracted);
    const [entry, ...others] = files.filter((file) => file.path.endsWith('.js'));
    if (entry === undefined || others.length > 0) {
      throw new BenchRunError(`${zip} holds ${others.length + (entry ? 1 : 0)} .js files, not one handler`);
    }
    bundles.push({ name, zipBytes: (await stat(zipPath)).size, files, entry: join(extracted, entry.path) });
  }
  return bundles;
}

// What each function needs set to start at all, as the deployed stack gives it (onboardUser refuses to start
// without its self-service policy).
const COLD_START_ENVIRONMENT = {
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  SELF_SERVICE_POLICY_ARN: 'arn:aws:iam::123456789012:policy/key-hygiene-bench-self-service',
};

/**
 * Loads the bundled handler module in a fresh Node process, `repetitions` times, as Lambda's init would
 * (with `--enable-source-maps`, as deployed), and times it.
 * @throws {BenchRunError} when the module fails to load.
 */
export async function measureColdStarts(entry: string, repetitions: number): Promise<ColdStart> {
  const script =
    'const started = performance.now();\n' +
    'const module = await import(process.argv[1]);\n' +
    'if (typeof module.handler !== "function") throw new Error("no handler export");\n' +
    'const ready = performance.now();\n' +
    'const rssMib = process.memoryUsage().rss / 1048576;\n' +
    'process.stdout.write(JSON.stringify({ importMs: ready - started, readyMs: ready, rssMib }));\n';
  const imports: number[] = [];
  const ready: number[] = [];
  const rss: number[] = [];
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    const output = await run(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', script, pathToFileURL(entry).href],
      COLD_START_ENVIRONMENT,
      true,
    );
    const timing = JSON.parse(output) as { importMs: number; readyMs: number; rssMib: number };
    imports.push(timing.importMs);
    ready.push(timing.readyMs);
    rss.push(timing.rssMib);
  }
  return {
    repetitions,
    importMs: distribution(imports),
    readyMs: distribution(ready),
    rssMib: distribution(rss),
  };
}

async function listFiles(root: string): Promise<{ path: string; bytes: number }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(
    files.sort().map(async (file) => ({ path: relative(root, file), bytes: (await stat(file)).size })),
  );
}

/** Runs a command in the repository; `cleanEnv`: only PATH and HOME from ours, plus `env`. */
function run(
  file: string,
  args: string[],
  env: Record<string, string> = {},
  cleanEnv = false,
): Promise<string> {
  const base = cleanEnv
    ? Object.fromEntries(
        ['PATH', 'HOME'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
      )
    : process.env;
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: REPO_ROOT, env: { ...base, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new BenchRunError(
              `${file} ${args.slice(0, 2).join(' ')} failed:\n${lastLines(`${stderr}${stdout}`)}`,
              {
                cause: error,
              },
            ),
          );
        } else resolve(stdout);
      },
    );
  });
}

// A minified bundle prints its whole source line with a stack trace: keep the end, where the error is.
function lastLines(output: string): string {
  return output
    .trim()
    .split('\n')
    .slice(-12)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
    .join('\n');
}
