import { type AccountName, accountLabel, isoDay } from '../../kernel/index.ts';
import {
  badge,
  cellHtml,
  code,
  html,
  type MailMessage,
  mailPage,
  type SafeHtml,
  section,
  TONE,
  table,
  textTable,
} from '../../mail/index.ts';
import type { KeyNoticeItem, OwnerNotice } from './owner-notices.ts';

export interface OwnerMailContext {
  /** Whom to ask for help or an exemption (SECURITY_TEAM_EMAILS). */
  contacts: string[];
  exemptTag: string;
  inactiveGraceDays: number;
  /** The account the keys belong to: named in the subject and the text. */
  account?: AccountName;
}

const FOOTER =
  'Sent by key-hygiene, the nightly access-key check of your AWS account. Keys are deactivated when they pass their maximum age, and deleted after a grace period.';

/** Renders one owner's notices as one mail (HTML and text), the most serious news first. */
export function renderOwnerMail(
  notice: OwnerNotice,
  address: string,
  context: OwnerMailContext,
): MailMessage {
  const items = [...notice.items].sort((a, b) => severity(a) - severity(b));
  const subject = withAccount(subjectFor(items), context.account);
  const rows = items.map((item) => [
    code(item.accessKeyId),
    cellHtml({ text: `${item.ageDays} days`, nowrap: true }),
    statusBadge(item),
    cellHtml({ text: whatText(item) }),
  ]);
  const body = html`<p>Hello ${notice.userName},</p>
<p>${intro(items)}</p>
${context.account === undefined ? '' : html`<p>AWS account: ${code(accountLabel(context.account))}</p>`}
${table(['Access key', 'Age', 'Status', 'What this means'], rows)}
${section('What to do next', nextSteps(items, notice.userName, context))}`;
  return {
    to: [address],
    subject,
    html: mailPage(subject, body, FOOTER).value,
    text: renderText(notice.userName, items, context, subject),
  };
}

// Someone with users in many accounts must see which account a mail is about before opening it.
function withAccount(subject: string, account: AccountName | undefined): string {
  return account === undefined ? subject : `${subject} (AWS account ${accountLabel(account)})`;
}

function severity(item: KeyNoticeItem): number {
  return { deleted: 0, deactivated: 1, warning: 2 }[item.notice.kind];
}

function subjectFor(items: KeyNoticeItem[]): string {
  const [first] = items;
  if (items.length === 1 && first !== undefined) {
    const { notice } = first;
    if (notice.kind === 'warning') {
      return `Action needed: your AWS access key ${first.accessKeyId} will be deactivated on ${isoDay(notice.deactivationDate)}`;
    }
    if (notice.kind === 'deactivated') {
      return notice.firstDeactivatedAt === undefined
        ? `Your AWS access key ${first.accessKeyId} was deactivated`
        : `Your AWS access key ${first.accessKeyId} was re-activated and has been deactivated again`;
    }
    return `Your AWS access key ${first.accessKeyId} was deleted`;
  }
  const count = (kind: KeyNoticeItem['notice']['kind']) =>
    items.filter((item) => item.notice.kind === kind).length;
  const parts = [
    count('deleted') > 0 ? `${count('deleted')} deleted` : '',
    count('deactivated') > 0 ? `${count('deactivated')} deactivated` : '',
    count('warning') > 0 ? `${count('warning')} to replace soon` : '',
  ].filter(Boolean);
  return `Your AWS access keys: ${parts.join(', ')}`;
}

function intro(items: KeyNoticeItem[]): string {
  const acted = items.filter((item) => item.notice.kind !== 'warning').length;
  if (acted === 1) {
    return 'key-hygiene has changed an access key of your AWS user, as the account’s key policy requires. Applications still using it will get access-denied errors.';
  }
  if (acted > 1) {
    return 'key-hygiene has changed access keys of your AWS user, as the account’s key policy requires. Applications still using them will get access-denied errors.';
  }
  const firstNotice = items.some((item) => item.notice.kind === 'warning' && item.notice.firstNotice);
  if (firstNotice) {
    return 'An access key of your AWS user has reached (or is about to reach) the account’s limit, and you have not been told before: it will not be deactivated before the date below. Please replace it before then.';
  }
  return items.length === 1
    ? 'An access key of your AWS user is about to reach its maximum age and will then be deactivated automatically. Please replace it before then.'
    : 'Access keys of your AWS user are about to reach their maximum age and will then be deactivated automatically. Please replace them before then.';
}

function statusBadge(item: KeyNoticeItem): SafeHtml {
  const { notice } = item;
  if (notice.kind === 'warning') {
    return badge(
      notice.daysLeft === 0 ? 'due today' : `${notice.daysLeft} day${notice.daysLeft === 1 ? '' : 's'} left`,
      TONE.warning,
    );
  }
  return notice.kind === 'deactivated' ? badge('deactivated', TONE.danger) : badge('deleted', TONE.neutral);
}

function whatText(item: KeyNoticeItem): string {
  const { notice } = item;
  switch (notice.kind) {
    case 'warning':
      return `It will be deactivated on ${isoDay(notice.deactivationDate)}. Created ${isoDay(item.createDate)}.`;
    case 'deactivated':
      if (notice.firstDeactivatedAt !== undefined) {
        return `key-hygiene deactivated it on ${isoDay(notice.firstDeactivatedAt)}; it was found active again and deactivated again tonight, ${isoDay(notice.at)}. Re-activating it does not restart its grace period: it will be deleted on ${isoDay(notice.deletionDate)}, and each re-activation is undone the next night. To keep a key longer, ask for an exemption.`;
      }
      return `Deactivated ${notice.late ? 'on' : 'tonight,'} ${isoDay(notice.at)}. It will be deleted on ${isoDay(notice.deletionDate)}. Re-activating it does not postpone that: key-hygiene deactivates it again the next night.`;
    case 'deleted':
      return `Deleted ${isoDay(notice.at)}, after its grace period as an inactive key. It cannot be restored.`;
  }
}

function contactLine(context: OwnerMailContext): string {
  return context.contacts.length > 0
    ? `the security team (${context.contacts.join(', ')})`
    : 'your AWS administrators';
}

/** The same, with each address a link that starts a mail. */
function contactHtml(context: OwnerMailContext): SafeHtml {
  if (context.contacts.length === 0) return html`your AWS administrators`;
  return html`the security team (${context.contacts.map(
    (address, index) =>
      html`${index > 0 ? ', ' : ''}<a href="mailto:${address}" style="white-space:nowrap">${address}</a>`,
  )})`;
}

function nextSteps(items: KeyNoticeItem[], userName: string, context: OwnerMailContext): SafeHtml {
  const warning = items.some((item) => item.notice.kind === 'warning');
  return html`<ol style="padding-left:20px;margin:0">
<li>Create a new access key: AWS console → IAM → Users → ${userName} → Security credentials → Create access key, or ${code(`aws iam create-access-key --user-name ${userName}`)}. A user can hold two access keys, active or inactive: if you already have two, first delete one you no longer use.</li>
<li>Move every application, script and CI secret that uses the old key to the new one, and check that they work.</li>
<li>${warning ? 'Deactivate the old key yourself once nothing uses it, so you control when it stops working.' : 'If something broke tonight, that is where the old key was still in use: give it the new key.'}</li>
</ol>
<p>Need more time, or have a question? Ask ${contactHtml(context)}: they can exempt your user for a while by setting the tag ${code(context.exemptTag)} on it, with an end date.</p>`;
}

function renderText(
  userName: string,
  items: KeyNoticeItem[],
  context: OwnerMailContext,
  subject: string,
): string {
  const rows = items.map((item) => [item.accessKeyId, `${item.ageDays} days`, whatText(item)]);
  const warning = items.some((item) => item.notice.kind === 'warning');
  return [
    subject,
    '',
    `Hello ${userName},`,
    '',
    intro(items),
    ...(context.account === undefined ? [] : ['', `AWS account: ${accountLabel(context.account)}`]),
    '',
    textTable(['ACCESS KEY', 'AGE', 'WHAT THIS MEANS'], rows),
    '',
    'What to do next:',
    `1. Create a new access key: AWS console > IAM > Users > ${userName} > Security credentials > Create access key,`,
    `   or: aws iam create-access-key --user-name ${userName}`,
    '   A user can hold two access keys, active or inactive: if you already have two, first delete one you no longer use.',
    '2. Move every application, script and CI secret that uses the old key to the new one, and check that they work.',
    warning
      ? '3. Deactivate the old key yourself once nothing uses it, so you control when it stops working.'
      : '3. If something broke tonight, that is where the old key was still in use: give it the new key.',
    '',
    `Need more time, or have a question? Ask ${contactLine(context)}: they can exempt your user for a while by setting the tag ${context.exemptTag} on it, with an end date.`,
    '',
    `-- ${FOOTER}`,
  ].join('\n');
}
