// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation DefinitionSubstitutions placeholders.
import { createRequire } from 'node:module';
import { stageParamDefaults } from './deployment.ts';

type Resolver = { resolveVariable: (variable: string) => Promise<unknown> };

/** deploy/org-state-machine.cfn.cjs, the module osls calls to build the state machine's definition. */
export const stateMachineModule = createRequire(import.meta.url)(
  '../../deploy/org-state-machine.cfn.cjs',
) as {
  definition: (resolver: Resolver) => Promise<AslDefinition>;
  definitionOf: (settings: { maxConcurrency: number; organizationGuard: boolean }) => AslDefinition;
  LAMBDA_SERVICE_ERRORS: string[];
  RESULTS_PREFIX: string;
  WORKER_TIMEOUT_SECONDS: number;
  WORKER_TASK_MARGIN_SECONDS: number;
};

// biome-ignore lint/suspicious/noExplicitAny: ASL is deep, loosely typed JSON; tests read it by path.
export type AslDefinition = Record<string, any>;

/** The placeholders the definition's DefinitionSubstitutions fill, as serverless.yml names them. */
export const SUBSTITUTIONS = [
  'OrgListAccountsArn',
  'OrgEnforceAccountArn',
  'OrgDigestArn',
  'OrgCheckGuardArn',
  'ResultsBucket',
];

/**
 * The definition osls packages for a stage: serverless.yml's parameter defaults, overridden by `params`
 * (as `--param name=value` would).
 */
export async function shippedDefinition(params: Record<string, string> = {}): Promise<AslDefinition> {
  const defaults = stageParamDefaults();
  return stateMachineModule.definition({
    async resolveVariable(variable) {
      const name = variable.replace(/^param:/, '');
      const value = params[name] ?? defaults.get(name);
      if (value === undefined) throw new Error(`serverless.yml has no stage parameter ${name}`);
      return value.replace(/^"(.*)"$/, '$1');
    },
  });
}

/** The definition with its `${Name}` placeholders filled, as CloudFormation's DefinitionSubstitutions do. */
export function substituted(definition: AslDefinition, values: Record<string, string>): AslDefinition {
  let text = JSON.stringify(definition);
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`\${${name}}`, value);
  return JSON.parse(text) as AslDefinition;
}
