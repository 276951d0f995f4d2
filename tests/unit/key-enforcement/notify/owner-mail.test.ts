import { describe, expect, it } from 'vitest';
import { renderOwnerMail } from '../../../../shared/key-enforcement/notify/owner-mail.ts';
import type { KeyNoticeItem, OwnerNotice } from '../../../../shared/key-enforcement/notify/owner-notices.ts';
import { visibleText } from '../../../helpers/visible-text.ts';

const context = {
  contacts: ['security@corp.example'],
  exemptTag: 'key-hygiene:exempt',
  inactiveGraceDays: 30,
};

function item(notice: KeyNoticeItem['notice'], accessKeyId = 'AKIAEXAMPLE000000001'): KeyNoticeItem {
  return { accessKeyId, ageDays: 83, createDate: new Date('2026-09-01T03:00:00Z'), reason: 'r', notice };
}

function owner(items: KeyNoticeItem[], userName = 'nina'): OwnerNotice {
  return { userName, recipient: { address: 'nina@corp.example', source: 'tag' }, items, records: {} };
}

const warning = item({
  kind: 'warning',
  stage: 7,
  daysLeft: 7,
  deactivationDate: new Date('2026-11-30T03:00:00Z'),
});
const deactivated = item(
  {
    kind: 'deactivated',
    at: new Date('2026-11-23T03:00:05Z'),
    deletionDate: new Date('2026-12-23T03:00:05Z'),
    late: false,
  },
  'AKIAEXAMPLE000000002',
);
const deleted = item({ kind: 'deleted', at: new Date('2026-11-23T03:00:06Z') }, 'AKIAEXAMPLE000000003');
const reactivated = item(
  {
    kind: 'deactivated',
    at: new Date('2026-11-23T03:00:05Z'),
    deletionDate: new Date('2026-12-20T03:00:00Z'),
    late: false,
    firstDeactivatedAt: new Date('2026-11-20T03:00:00Z'),
  },
  'AKIAEXAMPLE000000004',
);

describe('renderOwnerMail', () => {
  it('tells the owner of a key due and never warned that this is the first notice, and the date', () => {
    const first = item({
      kind: 'warning',
      stage: 7,
      daysLeft: 7,
      deactivationDate: new Date('2026-11-30T00:00:00Z'),
      firstNotice: true,
    });
    const mail = renderOwnerMail(owner([first]), 'nina@corp.example', context);

    for (const part of [mail.text, visibleText(mail.html)]) {
      expect(part).toContain(
        'you have not been told before: it will not be deactivated before the date below',
      );
      expect(part).toContain('It will be deactivated on 2026-11-30.');
    }
    expect(renderOwnerMail(owner([warning]), 'nina@corp.example', context).text).not.toContain(
      'you have not been told before',
    );
  });

  it.each([
    {
      case: 'a warning',
      items: [warning],
      subject: 'Action needed: your AWS access key AKIAEXAMPLE000000001 will be deactivated on 2026-11-30',
    },
    {
      case: 'a deactivation',
      items: [deactivated],
      subject: 'Your AWS access key AKIAEXAMPLE000000002 was deactivated',
    },
    { case: 'a deletion', items: [deleted], subject: 'Your AWS access key AKIAEXAMPLE000000003 was deleted' },
    {
      case: 'a key found re-activated and deactivated again',
      items: [reactivated],
      subject: 'Your AWS access key AKIAEXAMPLE000000004 was re-activated and has been deactivated again',
    },
    {
      case: 'several keys',
      items: [warning, deactivated, deleted],
      subject: 'Your AWS access keys: 1 deleted, 1 deactivated, 1 to replace soon',
    },
  ])('names the key and the news in the subject of $case', ({ items, subject }) => {
    expect(renderOwnerMail(owner(items), 'nina@corp.example', context).subject).toBe(subject);
  });

  it.each([
    [{ accountId: '111111111111', alias: 'payments-prod' }, '111111111111 (payments-prod)'],
    [{ accountId: '222222222222' }, '222222222222'],
  ])('names the account %j in the subject and both parts', (account, label) => {
    const mail = renderOwnerMail(owner([deactivated]), 'nina@corp.example', { ...context, account });

    expect(mail.subject).toBe(
      `Your AWS access key AKIAEXAMPLE000000002 was deactivated (AWS account ${label})`,
    );
    expect(mail.text).toContain(`AWS account: ${label}`);
    expect(mail.html).toContain(label);
  });

  it('names every key by id, with its age, what happened and the dates, in both parts', () => {
    const mail = renderOwnerMail(owner([warning, deactivated]), 'nina@corp.example', context);
    for (const part of [visibleText(mail.html), mail.text]) {
      expect(part).toContain('AKIAEXAMPLE000000001');
      expect(part).toContain('AKIAEXAMPLE000000002');
      expect(part).toContain('83 days');
      expect(part).toContain('It will be deactivated on 2026-11-30');
      expect(part).toContain('It will be deleted on 2026-12-23');
    }
    expect(mail.to).toEqual(['nina@corp.example']);
  });

  it('tells the owner of a re-activated key that its grace period did not restart, with the first and the deletion date', () => {
    const mail = renderOwnerMail(owner([reactivated]), 'nina@corp.example', context);
    for (const part of [visibleText(mail.html), mail.text]) {
      expect(part).toContain('key-hygiene deactivated it on 2026-11-20');
      expect(part).toContain('deactivated again tonight, 2026-11-23');
      expect(part).toContain(
        'Re-activating it does not restart its grace period: it will be deleted on 2026-12-20',
      );
    }
  });

  it('lists the next steps: a new key, moving the apps, how to ask for an exemption, whom to contact', () => {
    const mail = renderOwnerMail(owner([warning]), 'nina@corp.example', context);
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('aws iam create-access-key --user-name nina');
      expect(part).toMatch(/Move every application/);
      expect(part).toContain('key-hygiene:exempt');
      expect(part).toContain('security@corp.example');
    }
  });

  it('escapes a user name that carries markup', () => {
    const mail = renderOwnerMail(
      owner([warning], '<img src=x onerror=alert(1)>'),
      'nina@corp.example',
      context,
    );
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('points to the administrators when no security team is configured', () => {
    const mail = renderOwnerMail(owner([warning]), 'nina@corp.example', { ...context, contacts: [] });
    expect(mail.text).toContain('your AWS administrators');
  });
});

describe('renderOwnerMail: how it reads', () => {
  it.each([
    {
      case: 'one deactivated key',
      items: [deactivated],
      intro: 'has changed an access key of your AWS user',
    },
    {
      case: 'two changed keys',
      items: [deactivated, deleted],
      intro: 'has changed access keys of your AWS user',
    },
    {
      case: 'one warned key',
      items: [warning],
      intro: 'An access key of your AWS user is about to reach its',
    },
    {
      case: 'two warned keys',
      items: [warning, item({ ...warning.notice }, 'AKIAEXAMPLE000000009')],
      intro: 'Access keys of your AWS user are about to reach their',
    },
  ])('speaks of $case in the singular or plural it needs', ({ items, intro }) => {
    const mail = renderOwnerMail(owner(items), 'nina@corp.example', context);
    expect(mail.html).toContain(intro);
    expect(mail.text).toContain(intro);
  });

  it('links each contact address and names it once', () => {
    const mail = renderOwnerMail(owner([warning]), 'nina@corp.example', context);
    expect(mail.html).toContain('<a href="mailto:security@corp.example"');
    expect(mail.html.match(/security@corp\.example/g)).toHaveLength(2);
    expect(mail.text.match(/security@corp\.example/g)).toHaveLength(1);
  });

  it('keeps a key’s age on one line', () => {
    const mail = renderOwnerMail(owner([warning]), 'nina@corp.example', context);
    expect(mail.html).toContain('<span style="white-space:nowrap">83 days</span>');
  });
});
