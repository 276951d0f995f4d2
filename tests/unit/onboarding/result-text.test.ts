import { describe, expect, it } from 'vitest';
import type { OnboardedUser } from '../../../shared/onboarding/onboard-users.ts';
import { formatOnboardingResult } from '../../../shared/onboarding/result-text.ts';

const jane: OnboardedUser = {
  userName: 'jane.doe',
  userArn: 'arn:aws:iam::123456789012:user/jane.doe',
  signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
  groups: ['developers'],
  policyArns: ['arn:aws:iam::123456789012:policy/self-service'],
  temporaryPassword: 'Qv7kTz3mWx9pLr2c',
  passwordResetRequired: true,
  welcomeMail: { status: 'sent', messageId: 'm-1' },
  auditEvent: { status: 'published' },
};

describe('formatOnboardingResult', () => {
  it('shows each user with sign-in URL, password, groups, policies, mail and event', () => {
    expect(formatOnboardingResult({ users: [jane] })).toBe(
      [
        'Onboarded 1 user. Each temporary password is shown here once and is in no',
        'mail, log or event: hand it to its user over a separate channel.',
        '',
        '  jane.doe',
        '    sign-in URL          https://123456789012.signin.aws.amazon.com/console',
        '    temporary password   Qv7kTz3mWx9pLr2c   (must be changed at first sign-in)',
        '    groups               developers',
        '    policies             arn:aws:iam::123456789012:policy/self-service',
        '    welcome mail         sent (message m-1)',
        '    UserOnboarded event  published',
      ].join('\n'),
    );
  });

  it('says what went wrong with mail and event, and when there are no groups', () => {
    const text = formatOnboardingResult({
      users: [
        {
          ...jane,
          groups: [],
          welcomeMail: { status: 'failed', error: 'MessageRejected: not verified' },
          auditEvent: { status: 'failed', error: 'InternalFailure' },
        },
        { ...jane, userName: 'john', welcomeMail: { status: 'skipped', reason: 'SENDER_EMAIL is not set' } },
      ],
    });

    expect(text).toContain('Onboarded 2 users.');
    expect(text).toContain('    groups               (none)');
    expect(text).toContain('    welcome mail         FAILED: MessageRejected: not verified');
    expect(text).toContain('    UserOnboarded event  FAILED: InternalFailure');
    expect(text).toContain('    welcome mail         skipped: SENDER_EMAIL is not set');
  });
});
