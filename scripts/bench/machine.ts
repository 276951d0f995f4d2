import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  /** Logical CPUs this process may use (`nproc`). */
  cpus: number;
  cpuModel: string;
  memoryGib: number;
  os: string;
  node: string;
  python: string;
  moto: string;
  awsSdk: string;
}

/** The machine and the versions the figures were measured with. */
export async function describeMachine(): Promise<MachineInfo> {
  const [python, moto] = await pythonVersions();
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGib: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    python,
    moto,
    awsSdk: await packageVersion('@aws-sdk/client-iam'),
  };
}

function pythonVersions(): Promise<[string, string]> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', 'import platform, moto; print(platform.python_version(), moto.__version__)'],
      (error, stdout) => {
        const [python = 'unknown', moto = 'unknown'] = error ? [] : stdout.trim().split(' ');
        resolve([python, moto]);
      },
    );
  });
}

async function packageVersion(name: string): Promise<string> {
  try {
    const manifest = await readFile(
      new URL(`../../node_modules/${name}/package.json`, import.meta.url),
      'utf8',
    );
    return (JSON.parse(manifest) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
