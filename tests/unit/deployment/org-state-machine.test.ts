// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation DefinitionSubstitutions placeholders, not JavaScript.
// The organization state machine's definition (deploy/org-state-machine.cfn.cjs) as data: what the
// emulator cannot show (the timings of the Retry, the Distributed Map's settings) and its shape, checked
// on the JSON osls packages. tests/integration/org-state-machine.test.ts runs it.
import { describe, expect, it } from 'vitest';
import { THROTTLE_RETRY } from '../../../shared/organization/index.ts';
import { serverlessFunctions } from '../../helpers/deployment.ts';
import {
  type AslDefinition,
  shippedDefinition,
  stateMachineModule,
} from '../../helpers/org-state-machine.ts';

const { definitionOf, LAMBDA_SERVICE_ERRORS, WORKER_TIMEOUT_SECONDS, WORKER_TASK_MARGIN_SECONDS } =
  stateMachineModule;
const plain = definitionOf({ maxConcurrency: 10, organizationGuard: false });
const guarded = definitionOf({ maxConcurrency: 10, organizationGuard: true });

/** Every state, the Map's inner states included, by name. */
function allStates(definition: AslDefinition): Map<string, AslDefinition> {
  const found = new Map<string, AslDefinition>();
  for (const [name, state] of Object.entries(definition.States as Record<string, AslDefinition>)) {
    found.set(name, state);
    if (state.ItemProcessor) for (const [inner, s] of allStates(state.ItemProcessor)) found.set(inner, s);
  }
  return found;
}

/** The names reachable from StartAt, following Next, Default, Choices and Catch. */
function reachable(definition: AslDefinition): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const state = definition.States[name] as AslDefinition;
    const next = [
      state.Next,
      state.Default,
      ...(state.Choices ?? []).map((choice: AslDefinition) => choice.Next),
      ...(state.Catch ?? []).map((catcher: AslDefinition) => catcher.Next),
    ].filter((entry): entry is string => typeof entry === 'string');
    for (const target of next) visit(target);
  };
  visit(definition.StartAt);
  return seen;
}

const worker = (definition: AslDefinition, map = 'EnforceAccounts') =>
  definition.States[map].ItemProcessor.States.EnforceAccount as AslDefinition;

describe('the organization state machine', () => {
  it.each([
    ['without the guard', plain, ['ListAccounts', 'EnforceAccounts', 'Digest']],
    [
      'with the guard',
      guarded,
      [
        'ListAccounts',
        'GuardOrDryRun',
        'ForecastAccounts',
        'CheckGuard',
        'GuardTripped',
        'DigestForecast',
        'EnforceAccounts',
        'GuardToReport',
        'DigestWithGuard',
        'Digest',
      ],
    ],
  ])('%s: every state is reachable from the start, and every path ends', (_case, definition, states) => {
    expect(Object.keys(definition.States).sort()).toEqual([...states].sort());
    expect([...reachable(definition)].sort()).toEqual([...states].sort());
    for (const [name, state] of Object.entries(definition.States as Record<string, AslDefinition>)) {
      const ends = state.End === true || state.Type === 'Choice' || typeof state.Next === 'string';
      expect(ends, name).toBe(true);
      if (typeof state.Next === 'string') expect(Object.keys(definition.States), name).toContain(state.Next);
    }
  });

  it('maps over the listed accounts as a Distributed Map with the stage’s concurrency, results to S3', () => {
    const map = definitionOf({ maxConcurrency: 37, organizationGuard: false }).States.EnforceAccounts;

    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.listed.accounts',
      MaxConcurrency: 37,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: '${ResultsBucket}', Prefix: `${stateMachineModule.RESULTS_PREFIX}/run` },
      },
      ResultPath: '$.run',
    });
    // Each iteration gets exactly the worker's event: the night, the dry run, one account.
    expect(map.ItemSelector).toEqual({
      'night.$': '$.listed.night',
      'dryRun.$': '$.listed.dryRun',
      'account.$': '$$.Map.Item.Value',
    });
  });

  it('retries an account on the Lambda service’s errors, on AccountThrottledError as npm run enforce does, and once on a timeout', () => {
    const retry = worker(plain).Retry as AslDefinition[];

    expect(retry).toEqual([
      {
        ErrorEquals: LAMBDA_SERVICE_ERRORS,
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      },
      {
        ErrorEquals: ['AccountThrottledError'],
        IntervalSeconds: THROTTLE_RETRY.intervalMs / 1000,
        MaxAttempts: THROTTLE_RETRY.retries,
        BackoffRate: 2,
      },
      { ErrorEquals: ['States.Timeout', 'Sandbox.Timedout'], IntervalSeconds: 60, MaxAttempts: 1 },
    ]);
    expect(LAMBDA_SERVICE_ERRORS).toEqual([
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ]);
  });

  it('catches any failure of an account and ends its iteration with the account and the error', () => {
    const task = worker(plain);
    const inner = plain.States.EnforceAccounts.ItemProcessor.States;

    expect(task.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AccountFailed' },
    ]);
    expect(inner.AccountFailed).toMatchObject({ Type: 'Pass', End: true });
    expect(inner.AccountFailed.Parameters).toBeUndefined();
    expect(inner.AccountFailed.ResultPath).toBeUndefined();
  });

  it('waits longer for a worker than serverless.yml lets it run', () => {
    const block = serverlessFunctions().get('orgEnforceAccount') ?? '';

    expect(block).toContain(`    timeout: ${WORKER_TIMEOUT_SECONDS}\n`);
    expect(worker(plain).TimeoutSeconds).toBe(WORKER_TIMEOUT_SECONDS + WORKER_TASK_MARGIN_SECONDS);
    expect(WORKER_TASK_MARGIN_SECONDS).toBeGreaterThan(0);
  });

  it('retries the list, guard and digest steps on the Lambda service’s errors, and catches nothing there', () => {
    const steps = [...allStates(guarded)].filter(
      ([name, state]) => state.Type === 'Task' && name !== 'EnforceAccount',
    );

    expect(steps.map(([name]) => name).sort()).toEqual(
      ['CheckGuard', 'Digest', 'DigestForecast', 'DigestWithGuard', 'ListAccounts'].sort(),
    );
    for (const [name, state] of steps) {
      expect(state.Retry, name).toEqual([expect.objectContaining({ ErrorEquals: LAMBDA_SERVICE_ERRORS })]);
      expect(state.Catch, name).toBeUndefined();
    }
  });

  it('hands the digest the listing and where this Map run’s results are', () => {
    expect(plain.States.Digest.Parameters).toEqual({
      FunctionName: '${OrgDigestArn}',
      Payload: {
        'night.$': '$.listed.night',
        'dryRun.$': '$.listed.dryRun',
        'listed.$': '$.listed',
        resultsLocation: {
          'bucket.$': '$.run.ResultWriterDetails.Bucket',
          'prefix.$': '$.run.ResultWriterDetails.Key',
        },
      },
    });
  });

  it('with the guard: forecasts with forecast=true, and a tripped guard leads to a digest of the forecast, not to the run', () => {
    expect(guarded.States.ForecastAccounts.ItemSelector).toMatchObject({ forecast: true });
    expect(guarded.States.ForecastAccounts.ResultPath).toBe('$.forecast');
    expect(guarded.States.GuardOrDryRun.Choices).toEqual([
      { Variable: '$.listed.dryRun', BooleanEquals: true, Next: 'EnforceAccounts' },
    ]);
    expect(guarded.States.GuardTripped.Choices).toEqual([
      { Variable: '$.guard.tripped', BooleanEquals: true, Next: 'DigestForecast' },
    ]);
    expect(guarded.States.DigestForecast.Parameters.Payload).toMatchObject({
      'guard.$': '$.guard',
      resultsLocation: { 'prefix.$': '$.forecast.ResultWriterDetails.Key' },
    });
    expect(guarded.States.DigestWithGuard.Parameters.Payload['guard.$']).toBe('$.guard');
  });
});

describe('the stage parameters of the state machine', () => {
  it.each([
    ['1', 1],
    ['10', 10],
    ['1000', 1000],
  ])('takes orgMaxConcurrency=%s', async (value, number) => {
    expect(
      (await shippedDefinition({ orgMaxConcurrency: value })).States.EnforceAccounts.MaxConcurrency,
    ).toBe(number);
  });

  it.each(['0', '1001', 'ten', '2.5', '-1'])('refuses orgMaxConcurrency=%s, naming it', async (value) => {
    await expect(shippedDefinition({ orgMaxConcurrency: value })).rejects.toThrow(
      /Stage parameter orgMaxConcurrency: .* must be a whole number from 1 to 1000/,
    );
  });

  it.each([
    ['', false],
    ['0', true],
    ['500', true],
  ])('builds the guard states for orgMaxActions=%j: %s', async (value, guard) => {
    const definition = await shippedDefinition({ orgMaxActions: value });
    expect('CheckGuard' in definition.States).toBe(guard);
  });

  it.each(['many', '1000001', '-5'])('refuses orgMaxActions=%s, naming it', async (value) => {
    await expect(shippedDefinition({ orgMaxActions: value })).rejects.toThrow(
      /Stage parameter orgMaxActions/,
    );
  });

  it('ships the defaults: concurrency 10, no guard', async () => {
    const definition = await shippedDefinition();

    expect(definition).toEqual(definitionOf({ maxConcurrency: 10, organizationGuard: false }));
  });
});
