// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation DefinitionSubstitutions placeholders, not JavaScript.
// The organization night's state machine (Amazon States Language), built when osls packages so that the
// Map's concurrency, a number, can come from a stage parameter (DefinitionSubstitutions only fill strings).
// serverless.yml: `Definition: ${file(deploy/org-state-machine.cfn.cjs):definition}`; the functions' ARNs and
// the results bucket come in as DefinitionSubstitutions. The integration tests run this same definition in
// the emulator (tests/integration/org-state-machine.test.ts).
//
//   ListAccounts -> EnforceAccounts (Distributed Map, one worker invocation per account, at most
//   orgMaxConcurrency at once, results to S3) -> Digest
//
// With orgMaxActions set (the organization-wide guard), a forecast of every account comes first:
//   ListAccounts -> (dry run? EnforceAccounts) ForecastAccounts -> CheckGuard
//     -> tripped? DigestForecast (no account acts) : EnforceAccounts -> Digest

class StateMachineParamError extends Error {
  constructor(param, value, expected) {
    super(`Stage parameter ${param}: ${JSON.stringify(value)} is not valid: must be ${expected}`);
    this.name = 'StateMachineParamError';
  }
}

/** The worker's Lambda timeout (serverless.yml, orgEnforceAccount); its task waits a minute longer. */
const WORKER_TIMEOUT_SECONDS = 900;
/** How much longer the task waits than the worker may run: a retry never overlaps a worker still running. */
const WORKER_TASK_MARGIN_SECONDS = 60;

/** The Lambda service's own transient failures, as AWS recommends retrying them for lambda:invoke. */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const lambdaServiceRetry = {
  ErrorEquals: LAMBDA_SERVICE_ERRORS,
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};
/**
 * An account throttled past the worker's own SDK retries: tried again after 30 s, then 60 s (the same
 * schedule as `npm run enforce -- --org`, shared/organization THROTTLE_RETRY).
 */
const accountThrottledRetry = {
  ErrorEquals: ['AccountThrottledError'],
  IntervalSeconds: 30,
  MaxAttempts: 2,
  BackoffRate: 2,
};
/** A worker that ran out of time (Lambda's timeout, or the task's): tried once more. */
const timeoutRetry = {
  ErrorEquals: ['States.Timeout', 'Sandbox.Timedout'],
  IntervalSeconds: 60,
  MaxAttempts: 1,
};

const invoke = (functionArn, payload) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn, ...payload },
});

/**
 * Where the Maps' results go. The ResultWriter adds a folder per Map run (`<prefix>/<map run id>/`), so
 * nights and re-runs never mix. The prefix is fixed: Step Functions evaluates a `Prefix.$` path against the
 * state's input, moto against the Map's results, and a fixed one reads the same in both.
 */
const RESULTS_PREFIX = 'organization-runs';

/** One Distributed Map over the listed accounts: each iteration one worker invocation. */
function accountsMap({ maxConcurrency, phase, forecast, next }) {
  return {
    Type: 'Map',
    Comment: forecast
      ? 'Forecast every account (nothing changes), for the organization-wide guard.'
      : 'Each account: the worker assumes the member role and runs key and password-policy enforcement.',
    Label: forecast ? 'Forecast' : 'Accounts',
    ItemsPath: '$.listed.accounts',
    ItemSelector: {
      'night.$': '$.listed.night',
      'dryRun.$': '$.listed.dryRun',
      'account.$': '$$.Map.Item.Value',
      ...(forecast ? { forecast: true } : {}),
    },
    MaxConcurrency: maxConcurrency,
    // No ToleratedFailurePercentage: every iteration ends well (a failed account is caught below), so a
    // child execution that fails anyway is something else entirely (stopped by hand, a Step Functions
    // fault); the night then fails and its alarm fires rather than mailing a digest that hides it.
    ItemProcessor: {
      // Distributed: each account is a child execution, so 1,000 accounts stay far from the 25,000-event
      // history limit of one execution, and the results go to S3 instead of the 256 KB state payload.
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'EnforceAccount',
      States: {
        EnforceAccount: {
          ...invoke('${OrgEnforceAccountArn}', { 'Payload.$': '$' }),
          OutputPath: '$.Payload',
          TimeoutSeconds: WORKER_TIMEOUT_SECONDS + WORKER_TASK_MARGIN_SECONDS,
          Retry: [lambdaServiceRetry, accountThrottledRetry, timeoutRetry],
          // A failure the worker did not return as status 'failed' (throttled out after the retries, timed
          // out, crashed): the iteration ends with its input and the error, which the digest reports as
          // that account's failure. The other accounts go on.
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AccountFailed' }],
          End: true,
        },
        AccountFailed: {
          Type: 'Pass',
          Comment: '{ night, dryRun, account, error: { Error, Cause } }: the digest lists it as failed.',
          End: true,
        },
      },
    },
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: '${ResultsBucket}', Prefix: `${RESULTS_PREFIX}/${phase}` },
    },
    ResultPath: `$.${phase}`,
    Next: next,
  };
}

function digest(phase, guarded) {
  return {
    ...invoke('${OrgDigestArn}', {
      Payload: {
        'night.$': '$.listed.night',
        'dryRun.$': '$.listed.dryRun',
        'listed.$': '$.listed',
        // The manifest's own key as the prefix: it matches that one manifest, the one this Map run wrote.
        resultsLocation: {
          'bucket.$': `$.${phase}.ResultWriterDetails.Bucket`,
          'prefix.$': `$.${phase}.ResultWriterDetails.Key`,
        },
        ...(guarded ? { 'guard.$': '$.guard' } : {}),
      },
    }),
    OutputPath: '$.Payload',
    Retry: [lambdaServiceRetry],
    End: true,
  };
}

/** The states of the organization-wide guard: forecast every account, check, then run or report. */
function guardStates(maxConcurrency) {
  return {
    // A dry run acts on nothing: the guard has nothing to hold back.
    GuardOrDryRun: {
      Type: 'Choice',
      Choices: [{ Variable: '$.listed.dryRun', BooleanEquals: true, Next: 'EnforceAccounts' }],
      Default: 'ForecastAccounts',
    },
    ForecastAccounts: accountsMap({ maxConcurrency, phase: 'forecast', forecast: true, next: 'CheckGuard' }),
    CheckGuard: {
      ...invoke('${OrgCheckGuardArn}', {
        Payload: {
          'night.$': '$.listed.night',
          'dryRun.$': '$.listed.dryRun',
          'listed.$': '$.listed',
          resultsLocation: {
            'bucket.$': '$.forecast.ResultWriterDetails.Bucket',
            'prefix.$': '$.forecast.ResultWriterDetails.Key',
          },
        },
      }),
      // { limit, planned, tripped }
      ResultSelector: {
        'limit.$': '$.Payload.limit',
        'planned.$': '$.Payload.planned',
        'tripped.$': '$.Payload.tripped',
      },
      ResultPath: '$.guard',
      Retry: [lambdaServiceRetry],
      Next: 'GuardTripped',
    },
    GuardTripped: {
      Type: 'Choice',
      Choices: [{ Variable: '$.guard.tripped', BooleanEquals: true, Next: 'DigestForecast' }],
      Default: 'EnforceAccounts',
    },
    // Tripped: no account acts; the digest shows the forecast and why.
    DigestForecast: digest('forecast', true),
  };
}

/**
 * The state machine for these settings. Pure: the tests build it with the defaults and read it back from
 * the packaged template.
 * @param {{ maxConcurrency: number, organizationGuard: boolean }} settings
 */
function definitionOf({ maxConcurrency, organizationGuard }) {
  return {
    Comment:
      'key-hygiene organization night: list the accounts, enforce each (bounded concurrency, a failed account caught), mail one digest.',
    StartAt: 'ListAccounts',
    States: {
      ListAccounts: {
        ...invoke('${OrgListAccountsArn}', { Payload: { 'night.$': '$.night', 'dryRun.$': '$.dryRun' } }),
        // { listed: { night, dryRun, accounts, skipped } }: what every later state reads.
        ResultSelector: { 'listed.$': '$.Payload' },
        ResultPath: '$',
        Retry: [lambdaServiceRetry],
        Next: organizationGuard ? 'GuardOrDryRun' : 'EnforceAccounts',
      },
      ...(organizationGuard ? guardStates(maxConcurrency) : {}),
      EnforceAccounts: accountsMap({
        maxConcurrency,
        phase: 'run',
        forecast: false,
        next: organizationGuard ? 'GuardToReport' : 'Digest',
      }),
      ...(organizationGuard
        ? {
            // A dry run skipped the forecast: it has no guard to report.
            GuardToReport: {
              Type: 'Choice',
              Choices: [{ Variable: '$.guard', IsPresent: true, Next: 'DigestWithGuard' }],
              Default: 'Digest',
            },
            DigestWithGuard: digest('run', true),
          }
        : {}),
      Digest: digest('run', false),
    },
  };
}

const param = async (resolveVariable, name) => String(await resolveVariable(`param:${name}`)).trim();

/** ORG_MAX_CONCURRENCY: accounts worked on at once; the worker's settings hold it to the same range. */
async function maxConcurrency(resolveVariable) {
  const value = await param(resolveVariable, 'orgMaxConcurrency');
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > 1000) {
    throw new StateMachineParamError('orgMaxConcurrency', value, 'a whole number from 1 to 1000');
  }
  return number;
}

/** ORG_MAX_ACTIONS: set, the night forecasts every account first and none acts above it. */
async function organizationGuard(resolveVariable) {
  const value = await param(resolveVariable, 'orgMaxActions');
  if (value === '') return false;
  if (!/^\d+$/.test(value) || Number(value) > 1_000_000) {
    throw new StateMachineParamError(
      'orgMaxActions',
      value,
      "a whole number from 0 to 1000000, or '' for no guard",
    );
  }
  return true;
}

/** The definition for the stage's parameters (an osls `${file(...)}` resolver). */
async function definition({ resolveVariable }) {
  return definitionOf({
    maxConcurrency: await maxConcurrency(resolveVariable),
    organizationGuard: await organizationGuard(resolveVariable),
  });
}

module.exports = {
  definition,
  definitionOf,
  LAMBDA_SERVICE_ERRORS,
  RESULTS_PREFIX,
  WORKER_TIMEOUT_SECONDS,
  WORKER_TASK_MARGIN_SECONDS,
  StateMachineParamError,
};
