import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import { publishAuditEvents } from '../audit/index.ts';
import { fetchCredentialReport, reportWaitBudgetMs } from '../credential-report/index.ts';
import { logger } from '../kernel/index.ts';
import type { MailConfig, Mailer } from '../mail/index.ts';
import type { ConsoleAccessConfig } from './config.ts';
import { consoleAccount } from './console-iam.ts';
import type { ConsoleAccessDependencies, ConsoleAccessOptions } from './run-console-access.ts';

export interface ConsoleAccessClients {
  iam: IAMClient;
  /** Absent: no audit events (a forecast from a laptop must not write to a production bus). */
  eventBridge?: EventBridgeClient;
  mailer: Mailer;
}

export interface ConsoleAccessWiring {
  /** The time the run has left (the Lambda's remaining time); the report wait keeps a reserve for acting. */
  timeLeftMs: number;
  /** Who gets the digest and where owners are mailed (a disabled mailer mails nobody). */
  mail: Pick<MailConfig, 'securityTeam' | 'emailTag' | 'emailDomain'>;
  /** Told each time the run waits for the credential report; logged when absent. */
  onReportWait?: (reason: string, delayMs: number) => void;
}

/**
 * What a console-access run needs, built from its settings and AWS clients: the same for the nightly
 * handler and for a forecast (`npm run plan`), which passes no EventBridge client and a disabled mailer.
 */
export function consoleAccessDependencies(
  config: ConsoleAccessConfig,
  clients: ConsoleAccessClients,
  wiring: ConsoleAccessWiring,
): ConsoleAccessDependencies {
  const { iam, eventBridge, mailer } = clients;
  const budgetMs = reportWaitBudgetMs(wiring.timeLeftMs);
  const onWait =
    wiring.onReportWait ??
    ((reason: string, delayMs: number) =>
      logger.info('Waiting for the credential report', { reason, delayMs }));
  return {
    fetchReport: () => fetchCredentialReport(iam, { budgetMs, onWait }),
    account: consoleAccount(iam),
    ...(eventBridge === undefined
      ? {}
      : {
          publishAudit: (events) => publishAuditEvents(eventBridge, events, { busName: config.eventBusName }),
        }),
    log: logger,
    actionTime: () => new Date(),
    mailer,
    notification: {
      securityTeam: wiring.mail.securityTeam,
      recipients: { emailTag: wiring.mail.emailTag, emailDomain: wiring.mail.emailDomain },
    },
  };
}

/**
 * The options of one run from the settings and the request: an event can make a run drier, never turn
 * DRY_RUN off; the decision clock is the request's, else KEY_HYGIENE_NOW (dry runs only), else the real time.
 */
export function consoleAccessOptions(
  config: ConsoleAccessConfig,
  request: { dryRun: boolean; now?: Date | undefined },
): ConsoleAccessOptions {
  return {
    settings: config.settings,
    dryRun: config.dryRun || request.dryRun,
    now: request.now ?? config.now ?? new Date(),
  };
}
