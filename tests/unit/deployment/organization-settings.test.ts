// The organization settings against the README until serverless.yml deploys the organization functions
// (then settings.test.ts checks them per function): every variable the loader reads has a row in the
// README's settings, with the default the loader applies.
import { describe, expect, it } from 'vitest';
import { loadOrganizationConfig, ORGANIZATION_DEFAULTS } from '../../../shared/organization/index.ts';
import { repoFile } from '../../helpers/deployment.ts';

function variablesRead(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, name) => {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadOrganizationConfig(env);
  return [...read].sort();
}

const readme = repoFile('README.md');
const rowOf = (variable: string) => readme.split('\n').find((line) => line.startsWith(`| \`${variable}\` |`));

describe('the organization settings', () => {
  const variables = variablesRead();

  it('are the ORG_* variables and DRY_RUN', () => {
    expect(variables).toEqual([
      'DRY_RUN',
      'ORG_EXCLUDE_ACCOUNTS',
      'ORG_INCLUDE_ACCOUNTS',
      'ORG_INCLUDE_OUS',
      'ORG_MAX_ACTIONS',
      'ORG_MAX_CONCURRENCY',
      'ORG_MEMBER_ROLE_NAME',
      'ORG_RESULTS_BUCKET',
    ]);
  });

  it.each(variablesRead())('%s has a README row', (variable) => {
    expect(rowOf(variable), variable).toBeDefined();
  });

  it.each([
    ['ORG_MEMBER_ROLE_NAME', `\`${ORGANIZATION_DEFAULTS.memberRoleName}\``],
    ['ORG_MAX_CONCURRENCY', `\`${ORGANIZATION_DEFAULTS.maxConcurrency}\``],
    ['ORG_MAX_ACTIONS', 'unset'],
    ['ORG_INCLUDE_OUS', 'unset'],
    ['ORG_INCLUDE_ACCOUNTS', 'unset'],
    ['ORG_EXCLUDE_ACCOUNTS', 'unset'],
    ['ORG_RESULTS_BUCKET', 'unset'],
  ])('%s is documented with its default %s', (variable, written) => {
    expect(rowOf(variable)?.split('|')[3]?.trim()).toMatch(new RegExp(`^${written}`));
  });
});
