import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createStepFunctionsClient, loadAwsClientSettings, logger } from '../shared/kernel/index.ts';
import {
  loadOrgNightConfig,
  parseStartNightEvent,
  type StartNightResult,
  startNight,
  stepFunctionsExecutions,
} from '../shared/org-night/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name, before any call.
const config = loadOrgNightConfig(process.env);
const stepFunctions = createStepFunctionsClient(loadAwsClientSettings(process.env));

/** Nightly (organization mode): starts the organization state machine for tonight, at most once. */
export const handler = middy<unknown, StartNightResult, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const request = parseStartNightEvent(event);
    const result = await startNight(
      { executions: stepFunctionsExecutions(stepFunctions, config.stateMachineArn), clock: () => new Date() },
      request,
      { timeZone: config.timeZone, dryRun: config.dryRun },
    );
    logger.info(
      result.outcome === 'started' ? 'Organization run started' : 'Organization run already started',
      { ...result },
    );
    return result;
  });
