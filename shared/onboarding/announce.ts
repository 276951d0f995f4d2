import type { AuditEvent, AuditPublisher } from '../audit/index.ts';
import { describeError } from '../kernel/index.ts';
import type { Mailer, SendResult } from '../mail/index.ts';
import type { CreatedUser } from './create-users.ts';
import { renderWelcomeMail } from './welcome-mail.ts';

export const USER_ONBOARDED_EVENT = 'UserOnboarded';

export type AuditOutcome = { status: 'published' } | { status: 'failed'; error: string };

/** What announcing one user came to. */
export interface Announcement {
  welcomeMail: SendResult;
  auditEvent: AuditOutcome;
}

export interface AnnouncementFacts {
  onboardedAt: Date;
  requestId: string;
}

/**
 * Mails the user a welcome and publishes a `UserOnboarded` event. Never throws: a user who exists is never
 * undone over a mail or an event, so each failure is returned instead.
 */
export async function announceUser(
  deps: { mailer: Mailer; publishAudit: AuditPublisher },
  user: CreatedUser,
  facts: AnnouncementFacts,
): Promise<Announcement> {
  const { plan } = user;
  const welcomeMail = await sendWelcome(deps.mailer, {
    userName: plan.userName,
    email: plan.email,
    signInUrl: user.signInUrl,
    groups: plan.groups,
  });
  const auditEvent = await publishOnboarded(deps.publishAudit, {
    detailType: USER_ONBOARDED_EVENT,
    time: facts.onboardedAt,
    detail: {
      userName: plan.userName,
      userArn: user.userArn,
      path: plan.path,
      groups: plan.groups,
      policyArns: plan.policyArns,
      permissionsBoundaryArn: plan.permissionsBoundaryArn ?? null,
      passwordResetRequired: true,
      signInUrl: user.signInUrl,
      welcomeMail: welcomeMail.status,
      onboardedAt: facts.onboardedAt.toISOString(),
      requestId: facts.requestId,
    },
  });
  return { welcomeMail, auditEvent };
}

async function sendWelcome(
  mailer: Mailer,
  facts: Parameters<typeof renderWelcomeMail>[0],
): Promise<SendResult> {
  try {
    return await mailer.send(renderWelcomeMail(facts));
  } catch (error: unknown) {
    // The Mailer port promises not to throw; should it, the user still exists and is told so.
    return { status: 'failed', error: describeError(error) };
  }
}

async function publishOnboarded(publish: AuditPublisher, event: AuditEvent): Promise<AuditOutcome> {
  try {
    const result = await publish([event]);
    const failure = result.failed[0];
    return failure === undefined ? { status: 'published' } : { status: 'failed', error: failure.error };
  } catch (error: unknown) {
    return { status: 'failed', error: describeError(error) };
  }
}
