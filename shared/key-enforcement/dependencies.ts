import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import { publishAuditEvents } from '../audit/index.ts';
import { fetchCredentialReport, reportWaitBudgetMs } from '../credential-report/index.ts';
import { logger } from '../kernel/index.ts';
import type { MailConfig, Mailer } from '../mail/index.ts';
import type { KeyEnforcementConfig } from './config.ts';
import { iamAccount } from './iam-account.ts';
import type { KeyEnforcementDependencies, KeyEnforcementOptions } from './run-key-enforcement.ts';

export interface KeyEnforcementClients {
  iam: IAMClient;
  /** Absent: no audit events (a forecast from a laptop must not write to a production bus). */
  eventBridge?: EventBridgeClient;
  mailer: Mailer;
}

export interface KeyEnforcementWiring {
  /** The time the run has left (the Lambda's remaining time); the report wait keeps a reserve for acting. */
  timeLeftMs: number;
  /** Who gets the digest and where owners are mailed (a disabled mailer mails nobody). */
  mail: Pick<MailConfig, 'securityTeam' | 'emailTag' | 'emailDomain'>;
  /** Told each time the run waits for the credential report; logged when absent. */
  onReportWait?: (reason: string, delayMs: number) => void;
}

/**
 * What a key-enforcement run needs, built from its settings and AWS clients: the same for the nightly
 * handler and for a forecast (`npm run plan`), which passes no EventBridge client and a disabled mailer.
 */
export function keyEnforcementDependencies(
  config: KeyEnforcementConfig,
  clients: KeyEnforcementClients,
  wiring: KeyEnforcementWiring,
): KeyEnforcementDependencies {
  const { iam, eventBridge, mailer } = clients;
  const budgetMs = reportWaitBudgetMs(wiring.timeLeftMs);
  const onWait =
    wiring.onReportWait ??
    ((reason: string, delayMs: number) =>
      logger.info('Waiting for the credential report', { reason, delayMs }));
  return {
    fetchReport: () => fetchCredentialReport(iam, { budgetMs, onWait }),
    account: iamAccount(iam),
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
 * DRY_RUN off; the decision clock is the request's, else KEY_HYGIENE_NOW, else the real time.
 */
export function keyEnforcementOptions(
  config: KeyEnforcementConfig,
  request: { dryRun: boolean; now?: Date | undefined },
): KeyEnforcementOptions {
  return {
    settings: config.keyPolicy,
    dryRun: config.dryRun || request.dryRun,
    limits: config.limits,
    now: request.now ?? config.now ?? new Date(),
  };
}
