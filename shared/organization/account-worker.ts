import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { STSClient } from '@aws-sdk/client-sts';
import { type AuditEvent, publishAuditEvents } from '../audit/index.ts';
import { fetchCredentialReport } from '../credential-report/index.ts';
import {
  type AccountName,
  type AwsClientSettings,
  accountLabel,
  createIamClient,
  nameAccount,
} from '../kernel/index.ts';
import { iamAccount, type loadKeyEnforcementConfig, runKeyEnforcement } from '../key-enforcement/index.ts';
import { disabledMailer, type loadMailConfig, type Mailer } from '../mail/index.ts';
import {
  enforcePasswordPolicy,
  iamPasswordPolicy,
  type loadPasswordPolicyConfig,
} from '../password-policy/index.ts';
import type { OrganizationConfig } from './config.ts';
import type { AccountJobs, AccountWorkerDependencies } from './enforce-account.ts';
import { assumeMemberRole, memberRoleArn } from './member-session.ts';

/** The settings a worker runs every account with: the same as a single-account run's, and the organization's. */
export interface AccountWorkerSettings {
  keys: ReturnType<typeof loadKeyEnforcementConfig>;
  passwordPolicy: ReturnType<typeof loadPasswordPolicyConfig>;
  mail: ReturnType<typeof loadMailConfig>;
  organization: OrganizationConfig;
  aws: AwsClientSettings;
  /** The security account's partition (`aws`, ...): member role ARNs are built in it. */
  partition: string;
}

/** The security account's clients: STS to reach members; mail and audit events leave from here. */
export interface AccountWorkerClients {
  sts: STSClient;
  eventBridge: EventBridgeClient;
  mailer: Mailer;
}

export interface AccountWorkerContext {
  night: string;
  /** How long the credential report may be waited for in one account. */
  reportBudgetMs: number;
  /** Stores an account's key inventory; absent: the inventory travels in the result. */
  storeInventory?: (accountId: string, records: string[][]) => Promise<string>;
  log: AccountWorkerDependencies['log'];
}

/**
 * Wires the per-account jobs: IAM calls go to the member account, signed with its member role's
 * credentials; mail and audit events go out from the security account, each naming the member account.
 * The key and password-policy runs are the single-account use cases, unchanged.
 */
export function accountWorker(
  settings: AccountWorkerSettings,
  clients: AccountWorkerClients,
  context: AccountWorkerContext,
): AccountWorkerDependencies {
  const { keys, passwordPolicy, mail } = settings;
  const forecastMailer = disabledMailer('a forecast for the organization guard mails nobody');
  const auditFor = (account: AccountName, forecast: boolean) =>
    forecast
      ? undefined
      : (events: AuditEvent[]) =>
          publishAuditEvents(
            clients.eventBridge,
            events.map((event) => ({ ...event, detail: { ...event.detail, ...accountDetail(account) } })),
            { busName: keys.eventBusName },
          );
  return {
    assumeRole: (accountId) =>
      assumeMemberRole(clients.sts, accountId, {
        arn: memberRoleArn(settings.partition, accountId, settings.organization.memberRoleName),
        sessionName: `key-hygiene-${context.night}`,
      }),
    log: context.log,
    jobsIn: (credentials, accountId): AccountJobs => {
      const iam = createIamClient(settings.aws, credentials);
      const store = context.storeInventory;
      return {
        nameAccount: () => nameAccount(iam, accountId, context.log),
        enforceKeys: (options, onKeyInventory) => {
          const publishAudit = auditFor(options.account, options.forecast);
          return runKeyEnforcement(
            {
              fetchReport: () =>
                fetchCredentialReport(iam, {
                  budgetMs: context.reportBudgetMs,
                  onWait: (reason, delayMs) =>
                    context.log.info('Waiting for the credential report', {
                      accountId: options.account.accountId,
                      reason,
                      delayMs,
                    }),
                }),
              account: iamAccount(iam),
              ...(publishAudit === undefined ? {} : { publishAudit }),
              log: context.log,
              actionTime: () => new Date(),
              mailer: options.forecast ? forecastMailer : clients.mailer,
              notification: {
                securityTeam: mail.securityTeam,
                recipients: { emailTag: mail.emailTag, emailDomain: mail.emailDomain },
                account: options.account,
              },
              onKeyInventory,
            },
            {
              settings: keys.keyPolicy,
              dryRun: keys.dryRun || options.dryRun,
              limits: keys.limits,
              now: keys.now ?? new Date(),
            },
          );
        },
        enforcePasswordPolicy: (options) => {
          const publishAudit = auditFor(options.account, options.forecast);
          return enforcePasswordPolicy(
            {
              policies: iamPasswordPolicy(iam),
              ...(publishAudit === undefined ? {} : { publishAudit }),
              mailer: options.forecast ? forecastMailer : clients.mailer,
              securityTeam: mail.securityTeam,
              log: context.log,
              clock: () => new Date(),
            },
            {
              baseline: passwordPolicy.baseline,
              dryRun: passwordPolicy.dryRun || options.dryRun,
              account: accountLabel(options.account),
            },
          );
        },
        ...(store === undefined
          ? {}
          : { storeInventory: (records: string[][]) => store(accountId, records) }),
      };
    },
  };
}

function accountDetail(account: AccountName): Record<string, string> {
  return {
    accountId: account.accountId,
    ...(account.alias === undefined ? {} : { accountAlias: account.alias }),
  };
}
