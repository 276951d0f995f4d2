import { type ExecFileException, execFile } from 'node:child_process';
import { EmulatorError } from './errors.ts';

/** The Python the emulator runs on. */
export const PYTHON = 'python3';
const MOTO_REQUIREMENT = 'moto[server]>=5.2,<6';
const OUTPUT_TAIL_CHARS = 4_000;

type Log = (line: string) => void;

let motoChecked: Promise<void> | undefined;

/**
 * Makes sure python3 and moto (with its server extra) are available, installing moto with pip when it is
 * missing. Checks once per process.
 * @throws EmulatorError when python3 is missing or moto cannot be installed.
 */
export function ensureMoto(log: Log = console.error): Promise<void> {
  motoChecked ??= checkAndInstallMoto(log).catch((error: unknown) => {
    motoChecked = undefined;
    throw error;
  });
  return motoChecked;
}

async function checkAndInstallMoto(log: Log): Promise<void> {
  if (await hasMoto()) return;
  log(`moto is not installed; installing it with: ${PYTHON} -m pip install "${MOTO_REQUIREMENT}"`);
  const install = await run(PYTHON, ['-m', 'pip', 'install', MOTO_REQUIREMENT]);
  if (install.error !== null) {
    throw new EmulatorError(
      `Installing moto failed. Install it yourself (a virtual environment avoids "externally managed" ` +
        `errors): ${PYTHON} -m pip install "${MOTO_REQUIREMENT}"\n${install.output}`,
      { cause: install.error },
    );
  }
  if (!(await hasMoto())) {
    throw new EmulatorError(
      `pip reported success, but ${PYTHON} still cannot import moto.server ${MOTO_REQUIREMENT}; ` +
        'check that pip installs into the same Python as python3.',
    );
  }
}

/** True when moto 5.2+ (below 6) with its server extra imports; throws when python3 itself is missing. */
async function hasMoto(): Promise<boolean> {
  const probe =
    'import moto, moto.server\n' +
    'major, minor = (int(part) for part in moto.__version__.split(".")[:2])\n' +
    'raise SystemExit(0 if (5, 2) <= (major, minor) < (6, 0) else 3)';
  const { error } = await run(PYTHON, ['-c', probe]);
  if (error?.code === 'ENOENT') {
    throw new EmulatorError(
      `${PYTHON} was not found on PATH. The local AWS emulator (moto) needs Python 3.9 or later.`,
      { cause: error },
    );
  }
  return error === null;
}

/** Runs a command to its end: the error it failed with (null on success) and the end of its output. */
function run(file: string, args: string[]): Promise<{ error: ExecFileException | null; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ error, output: `${stderr}${stdout}`.trim().slice(-OUTPUT_TAIL_CHARS) });
    });
  });
}
