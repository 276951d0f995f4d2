// biome-ignore-all lint/suspicious/noTemplateCurlyInString: osls variables, not JavaScript.
// serverless.yml against the code and the README: each function gets the settings its configuration
// loaders read, from stage parameters with defaults, and every parameter is documented.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as chat from '../../../shared/chat/index.ts';
import * as consoleAccess from '../../../shared/console-access/index.ts';
import * as kernel from '../../../shared/kernel/index.ts';
import * as keyEnforcement from '../../../shared/key-enforcement/index.ts';
import * as mail from '../../../shared/mail/index.ts';
import * as onboarding from '../../../shared/onboarding/index.ts';
import * as orgNight from '../../../shared/org-night/index.ts';
import * as organization from '../../../shared/organization/index.ts';
import * as passwordPolicy from '../../../shared/password-policy/index.ts';
import {
  ALL_FUNCTIONS,
  functionEnvironment,
  REPO_ROOT,
  repoFile,
  resourceBlock,
  serverlessFunctions,
  stageParamDefaults,
} from '../../helpers/deployment.ts';

// Every package's public API: its configuration loaders are among these.
const LOADERS = {
  ...kernel,
  ...mail,
  ...chat,
  ...keyEnforcement,
  ...passwordPolicy,
  ...onboarding,
  ...consoleAccess,
  ...orgNight,
  ...organization,
};

/** The environment variables a function reads at cold start: those its config loaders look up. */
function variablesReadBy(handler: string): string[] {
  const loaders = [...repoFile(handler).matchAll(/\b(load\w+)\(process\.env\)/g)].map((match) => match[1]);
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, name) => {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  for (const loader of loaders) {
    const load = (LOADERS as Record<string, unknown>)[loader ?? ''];
    if (typeof load !== 'function')
      throw new Error(`${handler}: ${loader} is not a configuration loader of a package's index.ts`);
    try {
      load(env);
    } catch {
      // A required variable is missing from the empty environment; every variable has been looked up.
    }
  }
  return [...read].sort();
}

// Set for the runtime, not read by our loaders.
const RUNTIME_VARIABLES = ['POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS'];
// Read by a shared loader but meaningless for the function, or for local runs only.
const NOT_DEPLOYED: Record<string, string[]> = {
  // Local runs write mail copies there (npm start); a Lambda has no disk to keep them.
  all: ['MAIL_OUTBOX_DIR'],
  // It mails only the security team: owners' addresses do not concern it.
  enforcePasswordPolicy: ['EMAIL_DOMAIN', 'EMAIL_TAG'],
  // It mails only the new user, at the request's address: no digest, no guessed addresses.
  onboardUser: ['EMAIL_DOMAIN', 'SECURITY_TEAM_EMAILS'],
  enforceKeys: [
    // Retired: read only to refuse it, so a leftover setting stops the function instead of being ignored.
    'MAX_ACTIONS_PER_RUN',
    // A clock of its own would decide real deactivations and deletions: dry runs and forecasts only.
    'KEY_HYGIENE_NOW',
  ],
  // The same two, for the same reasons: console passwords are removed by the real clock.
  enforceConsoleAccess: ['MAX_ACTIONS_PER_RUN', 'KEY_HYGIENE_NOW'],
  // The organization settings are read as one block; each function gets those that concern it.
  // The lister writes nothing: it has no results bucket.
  orgListAccounts: ['ORG_RESULTS_BUCKET'],
  // The worker is handed its account: which accounts are selected is the lister's business. It runs the
  // same key enforcement as enforceKeys: the retired limit and the forecast clock are read only to refuse them.
  orgEnforceAccount: [
    'ORG_INCLUDE_OUS',
    'ORG_INCLUDE_ACCOUNTS',
    'ORG_EXCLUDE_ACCOUNTS',
    'MAX_ACTIONS_PER_RUN',
    'KEY_HYGIENE_NOW',
  ],
  // The digest mails only the security team, about accounts the lister already selected.
  orgDigest: ['EMAIL_DOMAIN', 'EMAIL_TAG', 'ORG_INCLUDE_OUS', 'ORG_INCLUDE_ACCOUNTS', 'ORG_EXCLUDE_ACCOUNTS'],
  // The guard check only reads the forecasts of the accounts the lister selected.
  orgCheckGuard: ['ORG_INCLUDE_OUS', 'ORG_INCLUDE_ACCOUNTS', 'ORG_EXCLUDE_ACCOUNTS'],
};

const params = stageParamDefaults();
const deployedFiles = [
  'serverless.yml',
  ...readdirSync(`${REPO_ROOT}policies`).map((file) => `policies/${file}`),
  ...readdirSync(`${REPO_ROOT}deploy`).map((file) => `deploy/${file}`),
];
const referencedParams = [
  ...new Set(
    deployedFiles.flatMap((file) =>
      [...repoFile(file).matchAll(/\$\{param:(\w+)\}|'param:(\w+)'/g)].map(
        (match) => match[1] ?? match[2] ?? '',
      ),
    ),
  ),
]
  .filter(Boolean)
  .sort();
// deploy/stage-params.cfn.cjs reads its parameters by name: param(resolveVariable, '<name>').
const paramsReadByName = [
  ...repoFile('deploy/stage-params.cfn.cjs').matchAll(/param\(resolveVariable, '(\w+)'\)/g),
].map((match) => match[1] ?? '');
const readme = repoFile('README.md');

describe('serverless.yml', () => {
  it('deploys exactly the functions of the deployment table, each from its handler with its own role', () => {
    const functions = serverlessFunctions();

    expect([...functions.keys()]).toEqual(ALL_FUNCTIONS.map((fn) => fn.name));
    for (const fn of ALL_FUNCTIONS) {
      const text = functions.get(fn.name) ?? '';
      expect(text).toContain(`    handler: ${fn.handler.replace(/\.ts$/, '.handler')}\n`);
      expect(text).toContain(`    role: !Sub "\${${fn.role}.Arn}"\n`);
      expect(resourceBlock(fn.role)).toContain(`PolicyDocument: \${file(${fn.policy})}`);
      expect(text.includes('destinations:'), `${fn.name} has an on-failure destination`).toBe(fn.scheduled);
      // An organization function's schedule is a resource with its condition (OrgNightSchedule).
      expect(text.includes('- schedule:'), `${fn.name} has a schedule event`).toBe(
        fn.scheduled && fn.organization !== true,
      );
      expect(
        text.includes('    condition: IsOrganizationMode\n'),
        `${fn.name} is for organizations only`,
      ).toBe(fn.organization === true);
    }
  });

  it('has no provider-wide IAM statements or role', () => {
    const provider = repoFile('serverless.yml').split('\nfunctions:')[0] ?? '';

    expect(provider).not.toMatch(/\n {2}iam:|iamRoleStatements|\n {2}role:/);
  });

  it('gives every stage parameter it uses a default', () => {
    const missing = [...referencedParams, ...paramsReadByName].filter((name) => !params.has(name));

    expect(referencedParams.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it('uses every stage parameter it defines', () => {
    const used = new Set([...referencedParams, ...paramsReadByName]);

    expect([...params.keys()].filter((name) => !used.has(name))).toEqual([]);
  });
});

describe.each(ALL_FUNCTIONS)('the $name settings', (fn) => {
  const environment = functionEnvironment(fn.name);
  const read = variablesReadBy(fn.handler);

  it('set only variables its configuration reads, and the runtime’s', () => {
    const unread = [...environment.keys()].filter(
      (name) => !read.includes(name) && !RUNTIME_VARIABLES.includes(name),
    );

    // The starter reads the fewest: its state machine, time zone, dry run and the two SDK settings.
    expect(read.length).toBeGreaterThanOrEqual(5);
    expect(unread).toEqual([]);
  });

  it('set every variable its configuration reads, unless it is meaningless there', () => {
    const skipped = [...(NOT_DEPLOYED.all ?? []), ...(NOT_DEPLOYED[fn.name] ?? [])];

    expect(read.filter((name) => !environment.has(name) && !skipped.includes(name))).toEqual([]);
  });

  it('come from stage parameters or the stack, and are documented in the README settings', () => {
    for (const [variable, value] of environment) {
      if (variable === 'NODE_OPTIONS') continue;
      // A stage parameter, as given or as deploy/stage-params.cfn.cjs checked it; else a stack resource.
      const param = /^\$\{(?:param:|file\(deploy\/stage-params\.cfn\.cjs\):)(\w+)\}$/.exec(value)?.[1];
      if (param === undefined) {
        expect(value, variable).toMatch(/^!Ref \w+$/);
        expect(readme).toContain(`| \`${variable}\` |`);
      } else {
        expect([...params.keys()], variable).toContain(param);
        expect(readme).toContain(`| \`${variable}\` | \`${param}\` |`);
      }
    }
  });
});

describe('the README settings', () => {
  it.each([...params.keys()])('documents the stage parameter %s with its default', (param) => {
    const row = readme.split('\n').find((line) => line.includes(`| \`${param}\` |`));
    const written = (params.get(param) ?? '').replace(/^"(.*)"$/, '$1');

    expect(row, `a README row for ${param}`).toBeDefined();
    const defaultCell = row?.split('|')[3]?.trim() ?? '';
    if (written === '') expect(defaultCell).toMatch(/^unset|^none|^empty/);
    else expect(defaultCell).toContain(`\`${written}\``);
  });
});
