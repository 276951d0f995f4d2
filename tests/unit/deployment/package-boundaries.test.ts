// The package map of shared/ (README, "Architecture"), held true: every package is imported from outside
// only through its index.ts; the infrastructure packages import no capability; a capability imports no
// other capability. Import cycles, type imports included, are Biome's `noImportCycles` (biome.json).
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoFile, sourceFiles } from '../../helpers/deployment.ts';

/** Packages every other package may use: they know nothing of what the service enforces. */
const INFRASTRUCTURE = [
  'kernel',
  'mail',
  'chat',
  'audit',
  'credential-report',
  'notices',
  'nights',
  'user-tags',
];
/** What each infrastructure package may import, besides itself. */
const INFRASTRUCTURE_USES: Record<string, string[]> = {
  kernel: [],
  mail: ['kernel'],
  chat: ['kernel'],
  audit: ['kernel'],
  'credential-report': ['kernel'],
  notices: ['kernel'],
  nights: ['kernel', 'credential-report', 'audit', 'mail', 'chat'],
  'user-tags': ['kernel'],
};
const CAPABILITIES = ['key-enforcement', 'password-policy', 'onboarding', 'console-access', 'org-night'];
/** Packages that run capabilities for many accounts: they may use any package below; none uses them. */
const ORCHESTRATION = ['organization'];
const PACKAGES = [...INFRASTRUCTURE, ...CAPABILITIES, ...ORCHESTRATION];

interface Import {
  from: string;
  to: string;
}

/** The relative imports (static and dynamic, type imports included) of every source file in `dirs`. */
function importsIn(...dirs: string[]): Import[] {
  return dirs.flatMap((dir) =>
    sourceFiles(dir).flatMap((file) =>
      [...repoFile(file).matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => ({
        from: file,
        to: normalize(join(dirname(file), match[1] ?? '')),
      })),
    ),
  );
}

/** `kernel` for `shared/kernel/time.ts`; undefined outside shared/'s packages. */
function packageOf(file: string): string | undefined {
  const [top, name] = file.split('/');
  return top === 'shared' && name !== undefined && PACKAGES.includes(name) ? name : undefined;
}

const imports = importsIn('shared', 'functions', 'scripts');

describe('package boundaries', () => {
  it('every file under shared/ belongs to a package, and every package has an index.ts', () => {
    for (const file of sourceFiles('shared')) expect(packageOf(file), file).toBeDefined();
    for (const name of PACKAGES) expect(sourceFiles('shared'), name).toContain(`shared/${name}/index.ts`);
  });

  it('other folders and packages import a package only through its index.ts', () => {
    const intoInternals = imports.filter(
      ({ from, to }) =>
        packageOf(to) !== undefined &&
        packageOf(to) !== packageOf(from) &&
        to !== `shared/${packageOf(to)}/index.ts`,
    );

    expect(intoInternals.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('kernel, mail, chat, audit and the credential report import no capability, and only what lies beneath them', () => {
    const upward = imports.filter(({ from, to }) => {
      const source = packageOf(from);
      const target = packageOf(to);
      if (source === undefined || target === undefined || source === target) return false;
      const allowed = INFRASTRUCTURE_USES[source];
      return allowed !== undefined && !allowed.includes(target);
    });

    expect(upward.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('a capability imports no other capability', () => {
    const across = imports.filter(({ from, to }) => {
      const source = packageOf(from);
      const target = packageOf(to);
      return source !== target && CAPABILITIES.includes(source ?? '') && CAPABILITIES.includes(target ?? '');
    });

    expect(across.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('no infrastructure package or capability imports an orchestration package', () => {
    const downward = imports.filter(({ from, to }) => {
      const source = packageOf(from);
      const target = packageOf(to);
      return (
        source !== target &&
        source !== undefined &&
        ORCHESTRATION.includes(target ?? '') &&
        !ORCHESTRATION.includes(source)
      );
    });

    expect(downward.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('the checks see the imports they judge', () => {
    // A test that cannot fail is a defect: these imports exist, so an empty list above means something.
    expect(imports).toContainEqual({
      from: 'functions/enforce-keys.ts',
      to: 'shared/key-enforcement/index.ts',
    });
    expect(imports.some(({ from }) => from.startsWith('shared/mail/'))).toBe(true);
    expect(imports).toContainEqual({
      from: 'shared/organization/account-worker.ts',
      to: 'shared/key-enforcement/index.ts',
    });
  });
});
