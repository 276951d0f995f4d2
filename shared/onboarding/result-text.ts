import type { OnboardedUser, OnboardingResult } from './onboard-users.ts';

function describeUser(user: OnboardedUser): string {
  const mail = user.welcomeMail;
  const welcome =
    mail.status === 'sent'
      ? `sent (message ${mail.messageId})`
      : mail.status === 'skipped'
        ? `skipped: ${mail.reason}`
        : `FAILED: ${mail.error}`;
  const audit = user.auditEvent.status === 'published' ? 'published' : `FAILED: ${user.auditEvent.error}`;
  return [
    `  ${user.userName}`,
    `    sign-in URL          ${user.signInUrl}`,
    `    temporary password   ${user.temporaryPassword}   (must be changed at first sign-in)`,
    `    groups               ${user.groups.length === 0 ? '(none)' : user.groups.join(', ')}`,
    `    policies             ${user.policyArns.join(', ')}`,
    `    welcome mail         ${welcome}`,
    `    UserOnboarded event  ${audit}`,
  ].join('\n');
}

/** The readable summary `npm run onboard` prints. */
export function formatOnboardingResult(result: OnboardingResult): string {
  const count = result.users.length;
  return [
    `Onboarded ${count} user${count === 1 ? '' : 's'}. Each temporary password is shown here once and is in no`,
    'mail, log or event: hand it to its user over a separate channel.',
    '',
    ...result.users.map(describeUser),
  ].join('\n');
}
