import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createS3Client, createSesClient, loadAwsClientSettings, logger } from '../shared/kernel/index.ts';
import { loadMailConfig, mailerFor } from '../shared/mail/index.ts';
import {
  collectResults,
  loadOrganizationConfig,
  type OrganizationRunSummary,
  parseDigestEvent,
  readKeyInventory,
  readMapResults,
  sendOrganizationDigest,
} from '../shared/organization/index.ts';

// Read once, at cold start: a bad setting fails the init with the variable's name.
const mail = loadMailConfig(process.env);
const organization = loadOrganizationConfig(process.env);
const aws = loadAwsClientSettings(process.env);
const s3 = createS3Client(aws);
const mailer = mailerFor(mail, createSesClient(aws), (path) => logger.info('Mail copy written', { path }));

/** The organization run's last state: one digest of every account to the security team. */
export const handler = middy<unknown, OrganizationRunSummary, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const request = parseDigestEvent(event);
    const iterations =
      'results' in request
        ? request.results
        : await readMapResults(s3, request.resultsLocation.bucket, request.resultsLocation.prefix);
    const bucket = organization.resultsBucket;
    const summary = await sendOrganizationDigest(
      {
        mailer,
        securityTeam: mail.securityTeam,
        ...(bucket === undefined
          ? {}
          : { readInventory: (key: string) => readKeyInventory(s3, bucket, key) }),
        log: logger,
      },
      {
        night: request.night,
        dryRun: request.dryRun,
        results: collectResults(request.listed, iterations),
        skipped: request.listed.skipped,
        ...(request.guard === undefined ? {} : { guard: request.guard }),
      },
    );
    logger.info('Organization digest finished', { summary });
    return summary;
  });
