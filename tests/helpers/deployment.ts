import { readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const repoFile = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** How serverless.yml and the policy files refer to a stage parameter. */
export const paramRef = (name: string) => `\${param:${name}}`;

/** One deployed function: its handler module, its role's policy document and whether a schedule runs it. */
export interface DeployedFunction {
  name: string;
  handler: string;
  role: string;
  policy: string;
  /** Invoked asynchronously on a schedule, with Lambda's retries and the failed-runs queue. */
  scheduled: boolean;
  /** Sends mail (as the sender) and publishes audit events (to its bus). */
  mails: boolean;
  publishes: boolean;
  /**
   * Organization mode only (condition IsOrganizationMode). Its schedule, if any, is a resource of its own
   * (OrgNightSchedule): osls would give a schedule event no condition.
   */
  organization?: boolean;
  /** Declared actions with this prefix are made in member accounts, through the member role, not its own. */
  memberActions?: string;
}

/** The service's functions. tests/unit/deployment checks this table against serverless.yml. */
export const FUNCTIONS: DeployedFunction[] = [
  {
    name: 'enforceKeys',
    handler: 'functions/enforce-keys.ts',
    role: 'EnforceKeysRole',
    policy: 'policies/enforce-keys.json',
    scheduled: true,
    mails: true,
    publishes: true,
  },
  {
    name: 'enforcePasswordPolicy',
    handler: 'functions/enforce-password-policy.ts',
    role: 'EnforcePasswordPolicyRole',
    policy: 'policies/enforce-password-policy.json',
    scheduled: true,
    mails: true,
    publishes: true,
  },
  {
    name: 'enforceConsoleAccess',
    handler: 'functions/enforce-console-access.ts',
    role: 'EnforceConsoleAccessRole',
    policy: 'policies/enforce-console-access.json',
    scheduled: true,
    mails: true,
    publishes: true,
  },
  {
    name: 'onboardUser',
    handler: 'functions/onboard-user.ts',
    role: 'OnboardUserRole',
    policy: 'policies/onboard-user.json',
    scheduled: false,
    mails: true,
    publishes: true,
  },
];

/** The organization run's functions: deployed only with organizationMode=true (README, "Organizations"). */
export const ORG_FUNCTIONS: DeployedFunction[] = [
  {
    name: 'orgStartNight',
    handler: 'functions/org-start-night.ts',
    role: 'OrgStartNightRole',
    policy: 'policies/org-start-night.json',
    scheduled: true,
    mails: false,
    publishes: false,
    organization: true,
  },
  {
    name: 'orgListAccounts',
    handler: 'functions/org-list-accounts.ts',
    role: 'OrgListAccountsRole',
    policy: 'policies/org-list-accounts.json',
    scheduled: false,
    mails: false,
    publishes: false,
    organization: true,
  },
  {
    name: 'orgEnforceAccount',
    handler: 'functions/org-enforce-account.ts',
    role: 'OrgEnforceAccountRole',
    policy: 'policies/org-enforce-account.json',
    scheduled: false,
    mails: true,
    publishes: true,
    organization: true,
    memberActions: 'iam:',
  },
  {
    name: 'orgCheckGuard',
    handler: 'functions/org-check-guard.ts',
    role: 'OrgCheckGuardRole',
    policy: 'policies/org-check-guard.json',
    scheduled: false,
    mails: false,
    publishes: false,
    organization: true,
  },
  {
    name: 'orgDigest',
    handler: 'functions/org-digest.ts',
    role: 'OrgDigestRole',
    policy: 'policies/org-digest.json',
    scheduled: false,
    mails: true,
    publishes: false,
    organization: true,
  },
];

/** Every function serverless.yml declares, in its order. */
export const ALL_FUNCTIONS: DeployedFunction[] = [...FUNCTIONS, ...ORG_FUNCTIONS];

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  /** Only in statements that deny all but some actions (the self-service policy's MFA rule). */
  NotAction?: string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

export const readPolicy = (path: string): { Statement: PolicyStatement[] } => JSON.parse(repoFile(path));

/**
 * The project modules (relative paths) a handler's bundle holds code of, as esbuild bundles and
 * tree-shakes it: a module a package's index.ts re-exports but the function never uses is left out, and so
 * are type-only imports. npm packages stand in as empty modules free of side effects (bundling the SDK
 * takes seconds; its packages declare no side effects either), so an import of one that nothing uses
 * keeps no module in.
 */
export function bundledModules(handler: string): Promise<string[]> {
  let modules = bundles.get(handler);
  if (modules === undefined) {
    modules = bundle(handler);
    bundles.set(handler, modules);
  }
  return modules;
}

const bundles = new Map<string, Promise<string[]>>();

const emptyPackages: Plugin = {
  name: 'empty-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => ({
      path: args.path,
      namespace: 'package',
      sideEffects: false,
    }));
    builder.onLoad({ filter: /.*/, namespace: 'package' }, () => ({ contents: 'module.exports = {};' }));
  },
};

async function bundle(handler: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`${REPO_ROOT}${handler}`],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    outdir: 'out',
    metafile: true,
    platform: 'node',
    format: 'esm',
    plugins: [emptyPackages],
    logLevel: 'silent',
  });
  const held = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([module, input]) => input.bytesInOutput > 0 && !module.startsWith('package:'))
      .map(([module]) => module),
  );
  return [...new Set(held)].sort();
}

/** Every `.ts` file under a directory of the repository, as relative paths. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(`${REPO_ROOT}${dir}`, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => relative(REPO_ROOT, `${REPO_ROOT}${dir}/${path}`))
    .sort();
}

/** The `*_ACTIONS` constants a module exports, by name. */
export async function declaredActionsOf(module: string): Promise<Record<string, readonly string[]>> {
  const exports: Record<string, unknown> = await import(`${REPO_ROOT}${module}`);
  return Object.fromEntries(
    Object.entries(exports).filter(([name]) => name.endsWith('_ACTIONS')) as [string, readonly string[]][],
  );
}

// The IAM prefix of each AWS SDK client the code uses.
const SERVICE_PREFIX: Record<string, string> = {
  iam: 'iam',
  sesv2: 'ses',
  eventbridge: 'events',
  sns: 'sns',
  sts: 'sts',
  s3: 's3',
  organizations: 'organizations',
  sfn: 'states',
};
// Commands whose IAM action has another name.
const ACTION_OF_COMMAND: Record<string, string> = { 's3:ListObjectsV2': 's3:ListBucket' };

/**
 * The IAM actions a module's source sends, from its value imports of `@aws-sdk/client-*`: each
 * `XCommand` is the action `X`, each `paginateX` the action `X`. Throws on a client of unknown prefix.
 */
export function sentActionsOf(source: string): string[] {
  const actions = new Set<string>();
  for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g)) {
    const [, names = '', client = ''] = match;
    const prefix = SERVICE_PREFIX[client];
    for (const name of names.split(',').map((entry) => entry.trim())) {
      if (name === '' || name.startsWith('type ')) continue;
      const action = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
      if (action === undefined) continue;
      if (prefix === undefined) throw new Error(`no IAM prefix known for @aws-sdk/client-${client}`);
      actions.add(ACTION_OF_COMMAND[`${prefix}:${action}`] ?? `${prefix}:${action}`);
    }
  }
  return [...actions].sort();
}

/** The lines of `text` under the line `header` that are indented deeper than it, up to the next that is not. */
function block(text: string, header: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`serverless.yml has no line ${JSON.stringify(header)}`);
  const depth = header.length - header.trimStart().length;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.length - line.trimStart().length <= depth) break;
    body.push(line);
  }
  return body;
}

/** `name: value` entries of a block at exactly `depth` spaces, comments and blank lines skipped. */
function entries(lines: string[], depth: number): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of lines) {
    const match = new RegExp(`^ {${depth}}([A-Za-z_][\\w]*):(?: (.*))?$`).exec(line);
    if (match?.[1]) found.set(match[1], (match[2] ?? '').replace(/\s+#.*$/, '').trim());
  }
  return found;
}

/** The stage parameters of serverless.yml and their defaults (as written, quotes kept). */
export function stageParamDefaults(): Map<string, string> {
  return entries(block(repoFile('serverless.yml'), '  default:'), 4);
}

/** The functions of serverless.yml, each with its block's text. */
export function serverlessFunctions(): Map<string, string> {
  const text = repoFile('serverless.yml');
  const names = [...entries(block(text, 'functions:'), 2).keys()];
  return new Map(names.map((name) => [name, block(text, `  ${name}:`).join('\n')]));
}

/** A function's environment variables in serverless.yml and their values (as written). */
export function functionEnvironment(name: string): Map<string, string> {
  const text = repoFile('serverless.yml');
  const functionLines = block(text, `  ${name}:`);
  return entries(block(functionLines.join('\n'), '    environment:'), 6);
}

/** A resource's block in serverless.yml. */
export function resourceBlock(logicalId: string): string {
  return block(repoFile('serverless.yml'), `    ${logicalId}:`).join('\n');
}
