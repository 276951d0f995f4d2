import { type ChatPoster, type ChatReport, postChatMessages } from '../../chat/index.ts';
import type { CredentialReportRow } from '../../credential-report/index.ts';
import { type AccountName, isoDay } from '../../kernel/index.ts';
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
import { accountOfReport, keyRunChatMessages } from './chat-messages.ts';

/** The account of a report, by id alone (a run that named its account passes the name instead). */
const reportAccount = (rows: NotifyInput['rows']): AccountName | undefined => {
  const accountId = accountOfReport(rows);
  return accountId === undefined ? undefined : { accountId };
};

import { renderDigest } from './digest.ts';
import { digestSubject, digestTitle } from './digest-data.ts';
import { planOwnerNotices } from './owner-notices.ts';
import { sendOwnerNotices } from './send-owner-notices.ts';

export interface NotificationSettings {
  securityTeam: string[];
  recipients: RecipientSettings;
  /** The account the run is about, named in every owner mail and in the digest. */
  account?: AccountName;
}

export interface NotifyInput {
  /** Users in the account: how the owners' records are read again before mailing (see sendOwnerNotices). */
  usersInAccount?: number;
  plan: KeyPlan;
  result: EnforcementResult;
  users: UserKeyFacts[];
  rows: CredentialReportRow[];
  summary: RunSummary;
  settings: KeyPolicySettings;
  dryRun: boolean;
  guard: Guard;
}

export interface NotifyDependencies {
  mailer: Mailer;
  account: IamAccount;
  settings: NotificationSettings;
  /** Absent: no chat message (a forecast from a laptop posts nothing). */
  chat?: ChatPoster;
}

/**
 * Tells the key owners what tonight's run did or will do to their keys, posts the run and its critical
 * findings to chat, then sends the security team its digest, which says whether chat failed. Owners come
 * first (their notices matter most), the digest last (it reports the rest). Owners are not mailed in a dry
 * run or when the guard tripped. Never throws: a mail or chat message that cannot be sent is reported, and
 * never blocks or undoes enforcement.
 */
export async function notifyRun(input: NotifyInput, deps: NotifyDependencies): Promise<NotificationSummary> {
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
            ...(input.usersInAccount === undefined ? {} : { usersInAccount: input.usersInAccount }),
            context: {
              contacts: deps.settings.securityTeam,
              exemptTag: input.settings.exemptTag,
              inactiveGraceDays: input.settings.inactiveGraceDays,
              ...(deps.settings.account === undefined ? {} : { account: deps.settings.account }),
            },
          },
        );

  const digestNotMailed =
    deps.mailer.disabledReason ??
    (deps.settings.securityTeam.length === 0 ? 'SECURITY_TEAM_EMAILS is not set' : undefined);
  const chat = await postRunChat(input, deps.chat, digestNotMailed, deps.settings.account);

  let digest: SendResult;
  if (digestNotMailed !== undefined) {
    digest = { status: 'skipped', reason: digestNotMailed };
  } else {
    digest = await deps.mailer.send(
      renderDigest({
        summary: input.summary,
        rows: input.rows,
        decisions: input.plan.decisions,
        ownerMail: owners,
        ownerMailNote: ownersNotMailed,
        chat,
        settings: input.settings,
        now: input.plan.now,
        to: deps.settings.securityTeam,
        ...(deps.settings.account === undefined ? {} : { account: deps.settings.account }),
      }),
    );
  }
  return { owners, ...(ownersNotMailed === undefined ? {} : { ownersNotMailed }), chat, digest };
}

async function postRunChat(
  input: NotifyInput,
  poster: ChatPoster | undefined,
  digestNotMailed: string | undefined,
  account: AccountName | undefined,
): Promise<ChatReport> {
  if (poster === undefined) return { posted: 0, failed: [], skipped: 'no chat poster configured' };
  const messages = keyRunChatMessages({
    summary: input.summary,
    account: account ?? reportAccount(input.rows),
    digest:
      digestNotMailed === undefined
        ? { subject: digestSubject(digestTitle(input.summary, isoDay(input.plan.now), account)) }
        : { notMailed: digestNotMailed },
  });
  return postChatMessages(poster, messages);
}
