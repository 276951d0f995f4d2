import { type AccountName, accountLabel, isoDay, wholeDaysBetween } from '../../kernel/index.ts';
import {
  badge,
  code,
  html,
  type MailMessage,
  mailPage,
  type SafeHtml,
  section,
  TONE,
} from '../../mail/index.ts';
import type { ActivitySource } from '../types.ts';
import type { ConsoleNotice, ConsoleOwnerNotice } from './console-notices.ts';

export interface ConsoleMailContext {
  /** Whom to ask for help, a new password or an exemption (SECURITY_TEAM_EMAILS). */
  contacts: string[];
  exemptTag: string;
  /** Days a console password may stay unused (PASSWORD_UNUSED_DAYS). */
  passwordUnusedDays: number;
  /** Days between MFA reminders (MFA_REMINDER_DAYS). */
  mfaReminderDays: number;
  now: Date;
  /** The account the user belongs to: named in the subject and the text. */
  account?: AccountName;
}

const FOOTER =
  'Sent by key-hygiene, the nightly console-access check of your AWS account. Console passwords nobody uses are removed after warnings; console users are reminded to set up MFA.';

/** Renders one owner's console-access notices as one mail (HTML and text), the most serious news first. */
export function renderConsoleMail(
  notice: ConsoleOwnerNotice,
  address: string,
  context: ConsoleMailContext,
): MailMessage {
  const items = [...notice.notices].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  // Someone with users in many accounts must see which account a mail is about before opening it.
  const subject =
    context.account === undefined
      ? subjectFor(items)
      : `${subjectFor(items)} (AWS account ${accountLabel(context.account)})`;
  const parts = items.map((item) => part(item, notice.userName, context));
  const body = html`<p>Hello ${notice.userName},</p>
${context.account === undefined ? '' : html`<p>AWS account: ${code(accountLabel(context.account))}</p>`}
${parts.map((p) => section(p.title, html`<p>${badge(p.badge, p.tone)}</p>${p.html}`))}
<p>Questions: ${contactLine(context)}.</p>`;
  const text = [
    subject,
    '',
    `Hello ${notice.userName},`,
    '',
    ...(context.account === undefined ? [] : [`AWS account: ${accountLabel(context.account)}`, '']),
    ...parts.flatMap((p) => [`== ${p.title} ==`, ...p.text, '']),
    `Questions: ${contactLine(context)}.`,
    '',
    `-- ${FOOTER}`,
  ].join('\n');
  return { to: [address], subject, html: mailPage(subject, body, FOOTER).value, text };
}

const ORDER: Record<ConsoleNotice['kind'], number> = { removed: 0, warning: 1, 'mfa-reminder': 2 };

function subjectFor(items: ConsoleNotice[]): string {
  const [first] = items;
  const more = items.length > 1 ? ' (and a reminder to set up MFA)' : '';
  switch (first?.kind) {
    case 'removed':
      return `Your AWS console password was removed${more}`;
    case 'warning':
      return `Action needed: your AWS console password will be removed on ${isoDay(first.removalDate)}${more}`;
    default:
      return 'Reminder: set up MFA for your AWS console sign-in';
  }
}

interface MailPart {
  title: string;
  badge: string;
  tone: string;
  html: SafeHtml;
  text: string[];
}

function part(item: ConsoleNotice, userName: string, context: ConsoleMailContext): MailPart {
  switch (item.kind) {
    case 'warning': {
      const when = item.daysLeft === 0 ? 'at the next nightly run' : `on ${isoDay(item.removalDate)}`;
      const left =
        item.daysLeft === 0 ? 'due now' : `${item.daysLeft} day${item.daysLeft === 1 ? '' : 's'} left`;
      const removal = item.firstNotice
        ? `Console passwords unused for ${context.passwordUnusedDays} days are removed. This is the first notice about yours, so it is kept until ${isoDay(item.removalDate)} and removed then, not earlier.`
        : `Console passwords unused for ${context.passwordUnusedDays} days are removed: yours will be removed ${when}.`;
      const lines = [
        `${lastUseText(item.activitySource, item.lastActivity)} ${removal}`,
        'To keep it, sign in to the AWS console once before then; that is all. Your access keys are not affected.',
        `Need it kept while you are away? Ask ${contactLine(context)} for a temporary exemption (the tag ${context.exemptTag} on your user, with an end date).`,
      ];
      return {
        title: 'Your console password is unused',
        badge: left,
        tone: TONE.warning,
        html: html`${lines.map((line) => html`<p>${line}</p>`)}`,
        text: lines,
      };
    }
    case 'removed': {
      const words = [
        'aws',
        'iam',
        'create-login-profile',
        '--user-name',
        userName,
        '--password',
        '<temporary password>',
        '--password-reset-required',
      ];
      const command = words.join(' ');
      const lines = [
        `Your console password was removed on ${isoDay(item.at)}, after warnings: it had not been used for more than ${context.passwordUnusedDays} days. ${lastUseText(item.activitySource, item.lastActivity)}`,
        'Your user, its access keys, groups and permissions are unchanged: only signing in to the AWS console with a password is off.',
        `To get console access back, ask ${contactLine(context)} for a new console password. They set one in the AWS console (IAM → Users → ${userName} → Security credentials → Enable console access) or with: ${command}`,
        'You choose your own password at your first sign-in.',
      ];
      return {
        title: 'Your console password was removed',
        badge: 'removed',
        tone: TONE.danger,
        html: html`<p>${lines[0]}</p><p>${lines[1]}</p><p>To get console access back, ask ${contactLine(context)} for a new console password. They set one in the AWS console (IAM → Users → ${userName} → Security credentials → Enable console access) or with:</p>${commandBlock(words)}<p>${lines[3]}</p>`,
        text: lines,
      };
    }
    case 'mfa-reminder': {
      const days = wholeDaysBetween(item.withoutMfaSince, context.now);
      const since = item.first
        ? 'Your user can sign in to the AWS console with a password alone.'
        : `Your user can still sign in to the AWS console with a password alone (seen without MFA since ${isoDay(item.withoutMfaSince)}, ${days} days).`;
      const steps = [
        '1. Sign in to the AWS console, open the menu under your user name (top right) and choose Security credentials.',
        '2. Under Multi-factor authentication (MFA), choose Assign MFA device.',
        '3. Choose a passkey or security key, or an authenticator app, and follow the steps.',
      ];
      const repeat = `Until you do, this reminder comes every ${context.mfaReminderDays} days.`;
      const lines = [
        since,
        'A stolen password is then enough to sign in as you. Set up MFA:',
        ...steps,
        repeat,
      ];
      return {
        title: 'Set up multi-factor authentication',
        badge: 'no MFA',
        tone: TONE.info,
        html: html`<p>${since}</p><p>A stolen password is then enough to sign in as you. Set up MFA:</p><ol style="padding-left:20px;margin:0">${steps.map((step) => html`<li>${step.slice(3)}</li>`)}</ol><p>${repeat}</p>`,
        text: lines,
      };
    }
  }
}

function lastUseText(source: ActivitySource, at: Date): string {
  switch (source) {
    case 'last sign-in':
      return `You last signed in to the AWS console with your password on ${isoDay(at)}.`;
    case 'password set, never used':
      return `Your console password was set on ${isoDay(at)} and has not been used since.`;
    case 'user created, never used':
      return `Your console password has never been used; your user was created on ${isoDay(at)}.`;
  }
}

function contactLine(context: ConsoleMailContext): string {
  return context.contacts.length > 0
    ? `the security team (${context.contacts.join(', ')})`
    : 'your AWS administrators';
}

/** A command on a line of its own, broken (on a narrow screen) only between its words, never at a hyphen. */
function commandBlock(words: string[]): SafeHtml {
  return html`<p style="background:#f3f4f6;border-radius:4px;padding:8px 10px">${words.map(
    (word, index) => html`${index > 0 ? ' ' : ''}<span style="white-space:nowrap">${code(word)}</span>`,
  )}</p>`;
}
