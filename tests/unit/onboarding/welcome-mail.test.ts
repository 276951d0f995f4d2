import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../shared/mail/html.ts';
import { renderWelcomeMail } from '../../../shared/onboarding/welcome-mail.ts';

const FACTS = {
  userName: 'jane.doe',
  email: 'jane.doe@example.com',
  signInUrl: 'https://acme-prod.signin.aws.amazon.com/console',
  groups: ['developers', 'analysts'],
};

describe('renderWelcomeMail', () => {
  it('addresses the new user with a subject naming the user', () => {
    const mail = renderWelcomeMail(FACTS);

    expect(mail.to).toEqual(['jane.doe@example.com']);
    expect(mail.subject).toBe('Your AWS console user jane.doe');
  });

  it.each(['text', 'html'] as const)(
    'tells in the %s part where and as whom to sign in, and what to do then',
    (part) => {
      const body = renderWelcomeMail(FACTS)[part];

      expect(body).toContain('https://acme-prod.signin.aws.amazon.com/console');
      expect(body).toContain('jane.doe');
      expect(body).toContain('developers, analysts');
      expect(body).toMatch(/first sign-in you must choose a new password/);
      expect(body).toMatch(/Set up MFA/);
      expect(body).toMatch(/Sign out and sign in again<?\/?(strong>)?, with your MFA device/);
      expect(body).toMatch(/Create access key/);
      expect(body).toMatch(/not<\/strong> in this mail|not in this mail/);
    },
  );

  it('says when the user is in no group yet', () => {
    expect(renderWelcomeMail({ ...FACTS, groups: [] }).text).toContain('Groups:      none yet');
  });

  it('escapes every value in the HTML part', () => {
    const mail = renderWelcomeMail({
      ...FACTS,
      userName: '<b>jane</b>',
      signInUrl: 'https://x.example/"onmouseover="alert(1)',
      groups: ['<script>alert(1)</script>', "o'neil&co"],
    });

    expect(mail.html).not.toContain('<b>jane</b>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('"onmouseover="');
    expect(mail.html).toContain('&lt;b&gt;jane&lt;/b&gt;');
    expect(mail.html).toContain('href="https://x.example/&quot;onmouseover=&quot;alert(1)"');
    expect(mail.html).toContain('o&#39;neil&amp;co');
  });
});

describe('escapeHtml', () => {
  it.each([
    ['plain text', 'plain text'],
    ['a < b > c', 'a &lt; b &gt; c'],
    ['"quoted" & \'single\'', '&quot;quoted&quot; &amp; &#39;single&#39;'],
    ['&amp;', '&amp;amp;'],
  ])('escapes %j', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
  });
});
