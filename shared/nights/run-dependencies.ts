import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import { type AuditPublisher, publishAuditEvents } from '../audit/index.ts';
import type { ChatPoster } from '../chat/index.ts';
import {
  type CredentialReport,
  fetchCredentialReport,
  reportWaitBudgetMs,
} from '../credential-report/index.ts';
import { type AccountName, logger } from '../kernel/index.ts';
import type { MailConfig, Mailer, RecipientSettings } from '../mail/index.ts';

/** The AWS clients a nightly run is built from. */
export interface NightlyRunClients {
  iam: IAMClient;
  /** Absent: no audit events (a forecast from a laptop must not write to a production bus). */
  eventBridge?: EventBridgeClient;
  mailer: Mailer;
  /** Absent: no chat message (a forecast must not post to the security team's channel). */
  chat?: ChatPoster;
}

export interface NightlyRunWiring {
  /** The time the run has left (the Lambda's remaining time); the report wait keeps a reserve for acting. */
  timeLeftMs: number;
  /** Who gets the digest and where owners are mailed (a disabled mailer mails nobody). */
  mail: Pick<MailConfig, 'securityTeam' | 'emailTag' | 'emailDomain'>;
  /** Told each time the run waits for the credential report; logged when absent. */
  onReportWait?: (reason: string, delayMs: number) => void;
  /** The account the run is about, named in every owner mail and the digest. */
  account?: AccountName;
}

/** What every nightly run needs besides its own IAM port: the report, audit events, the log, the clock, mail. */
export interface NightlyRunDependencies {
  fetchReport: () => Promise<CredentialReport>;
  /** Absent: no audit events. */
  publishAudit?: AuditPublisher;
  log: typeof logger;
  /** The real time of each change, recorded with it. */
  actionTime: () => Date;
  mailer: Mailer;
  chat?: ChatPoster;
  notification: { securityTeam: string[]; recipients: RecipientSettings; account?: AccountName };
}

/**
 * The dependencies every nightly run (keys, console access) is built from, the same for the handler and
 * for a forecast (`npm run plan`, which passes no EventBridge client and a disabled mailer). Each capability
 * adds its own IAM port.
 */
export function nightlyRunDependencies(
  eventBusName: string,
  clients: NightlyRunClients,
  wiring: NightlyRunWiring,
): NightlyRunDependencies {
  const { iam, eventBridge, mailer, chat } = clients;
  const budgetMs = reportWaitBudgetMs(wiring.timeLeftMs);
  const onWait =
    wiring.onReportWait ??
    ((reason: string, delayMs: number) =>
      logger.info('Waiting for the credential report', { reason, delayMs }));
  return {
    fetchReport: () => fetchCredentialReport(iam, { budgetMs, onWait }),
    ...(eventBridge === undefined
      ? {}
      : { publishAudit: (events) => publishAuditEvents(eventBridge, events, { busName: eventBusName }) }),
    log: logger,
    actionTime: () => new Date(),
    mailer,
    ...(chat === undefined ? {} : { chat }),
    notification: {
      securityTeam: wiring.mail.securityTeam,
      recipients: { emailTag: wiring.mail.emailTag, emailDomain: wiring.mail.emailDomain },
      ...(wiring.account === undefined ? {} : { account: wiring.account }),
    },
  };
}
