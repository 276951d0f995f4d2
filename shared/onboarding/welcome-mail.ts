import { escapeHtml, type MailMessage } from '../mail/index.ts';

export interface WelcomeMailFacts {
  userName: string;
  email: string;
  signInUrl: string;
  groups: string[];
}

/**
 * The welcome mail of a new console user (HTML and text): where and as whom to sign in, that the password
 * must be changed at first sign-in, how to set up MFA (which everything else needs: the self-service policy
 * denies all but the first sign-in's steps without it) and create one's own access keys. It never holds
 * the password, which goes back to the caller only; every value is escaped in the HTML part.
 */
export function renderWelcomeMail(facts: WelcomeMailFacts): MailMessage {
  const groups = facts.groups.length === 0 ? 'none yet' : facts.groups.join(', ');
  const text = [
    'Hello,',
    '',
    'An AWS console user has been created for you.',
    '',
    `  Sign-in URL: ${facts.signInUrl}`,
    `  User name:   ${facts.userName}`,
    `  Groups:      ${groups}`,
    '',
    'Your temporary password is not in this mail: the person who created your user gives it to you',
    'separately. At your first sign-in you must choose a new password of your own.',
    '',
    'Then, in the console, open your user name (top right) > Security credentials:',
    '',
    '1. Set up MFA: under "Multi-factor authentication (MFA)" choose "Assign MFA device" and follow the',
    '   steps (an authenticator app or a security key).',
    '2. Sign out and sign in again, with your MFA device: until you do, AWS lets you do nothing else.',
    '3. Only if you need them (AWS CLI, SDKs): under "Access keys" choose "Create access key". Keep the',
    '   secret in a password manager, never share or commit it, and replace the key before it gets old:',
    '   old keys are deactivated automatically. A key works through an MFA session',
    '   (aws sts get-session-token --serial-number <your MFA device> --token-code <code>).',
    '',
    'Nobody else ever creates access keys for you, and nobody will ask you for your password.',
  ].join('\n');

  const e = escapeHtml;
  const html = [
    '<!DOCTYPE html>',
    '<html><body style="font-family: sans-serif; line-height: 1.5">',
    '<p>Hello,</p>',
    '<p>An AWS console user has been created for you.</p>',
    '<table>',
    `<tr><th align="left">Sign-in URL</th><td><a href="${e(facts.signInUrl)}">${e(facts.signInUrl)}</a></td></tr>`,
    `<tr><th align="left">User name</th><td><code>${e(facts.userName)}</code></td></tr>`,
    `<tr><th align="left">Groups</th><td>${e(groups)}</td></tr>`,
    '</table>',
    '<p>Your temporary password is <strong>not</strong> in this mail: the person who created your user gives it ' +
      'to you separately. At your first sign-in you must choose a new password of your own.</p>',
    '<p>Then, in the console, open your user name (top right) &gt; <em>Security credentials</em>:</p>',
    '<ol>',
    '<li><strong>Set up MFA</strong>: under <em>Multi-factor authentication (MFA)</em> choose ' +
      '<em>Assign MFA device</em> and follow the steps (an authenticator app or a security key).</li>',
    '<li><strong>Sign out and sign in again</strong>, with your MFA device: until you do, AWS lets you do ' +
      'nothing else.</li>',
    '<li>Only if you need them (AWS CLI, SDKs): under <em>Access keys</em> choose <em>Create access key</em>. ' +
      'Keep the secret in a password manager, never share or commit it, and replace the key before it gets ' +
      'old: old keys are deactivated automatically. A key works through an MFA session ' +
      '(<code>aws sts get-session-token --serial-number &lt;your MFA device&gt; --token-code &lt;code&gt;</code>).</li>',
    '</ol>',
    '<p>Nobody else ever creates access keys for you, and nobody will ask you for your password.</p>',
    '</body></html>',
  ].join('\n');

  return { to: [facts.email], subject: `Your AWS console user ${facts.userName}`, html, text };
}
