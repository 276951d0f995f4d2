import type { CredentialReportRow } from '../../credential-report/index.ts';
import type { AccountName } from '../../kernel/index.ts';
import type { Mailer, RecipientSettings, SendResult } from '../../mail/index.ts';
import type { IamAccount } from '../iam-account.ts';
import type {
  EnforcementResult,
  Guard,
  KeyPlan,
  KeyPolicySettings,
  NotificationSummary,
  RunSummary,
  UserKeyFacts,
} from '../types.ts';
import { renderDigest } from './digest.ts';
import { planOwnerNotices } from './owner-notices.ts';
import { sendOwnerNotices } from './send-owner-notices.ts';

export interface NotificationSettings {
  securityTeam: string[];
  recipients: RecipientSettings;
  /** The account the run is about, named in every owner mail and in the digest. */
  account?: AccountName;
}

export interface NotifyInput {
  plan: KeyPlan;
  result: EnforcementResult;
  users: UserKeyFacts[];
  rows: CredentialReportRow[];
  summary: RunSummary;
  settings: KeyPolicySettings;
  dryRun: boolean;
  guard: Guard;
}

/**
 * Tells the key owners what tonight's run did or will do to their keys, then sends the security team
 * its digest. Owners are not mailed in a dry run or when the guard tripped. Never throws: a mail that
 * cannot be sent is reported, and never blocks or undoes enforcement.
 */
export async function notifyRun(
  input: NotifyInput,
  deps: { mailer: Mailer; account: IamAccount; settings: NotificationSettings },
): Promise<NotificationSummary> {
  const ownersNotMailed =
    deps.mailer.disabledReason ??
    (input.dryRun
      ? 'this is a dry run'
      : input.guard.tripped
        ? 'the guard tripped, so no key was changed'
        : undefined);
  const owners =
    ownersNotMailed !== undefined
      ? []
      : await sendOwnerNotices(
          planOwnerNotices({
            decisions: input.plan.decisions,
            results: input.result.keys,
            users: input.users,
            warningNoticeDays: input.settings.warningNoticeDays,
            inactiveGraceDays: input.settings.inactiveGraceDays,
            recipients: deps.settings.recipients,
            now: input.plan.now,
          }),
          {
            mailer: deps.mailer,
            account: deps.account,
            context: {
              contacts: deps.settings.securityTeam,
              exemptTag: input.settings.exemptTag,
              inactiveGraceDays: input.settings.inactiveGraceDays,
              ...(deps.settings.account === undefined ? {} : { account: deps.settings.account }),
            },
          },
        );

  let digest: SendResult;
  if (deps.mailer.disabledReason !== undefined) {
    digest = { status: 'skipped', reason: deps.mailer.disabledReason };
  } else if (deps.settings.securityTeam.length === 0) {
    digest = { status: 'skipped', reason: 'SECURITY_TEAM_EMAILS is not set' };
  } else {
    digest = await deps.mailer.send(
      renderDigest({
        summary: input.summary,
        rows: input.rows,
        decisions: input.plan.decisions,
        ownerMail: owners,
        ownerMailNote: ownersNotMailed,
        settings: input.settings,
        now: input.plan.now,
        to: deps.settings.securityTeam,
        ...(deps.settings.account === undefined ? {} : { account: deps.settings.account }),
      }),
    );
  }
  return { owners, ...(ownersNotMailed === undefined ? {} : { ownersNotMailed }), digest };
}
