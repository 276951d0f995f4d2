import { describe, expect, it } from 'vitest';
import { noticeTag } from '../../../../shared/key-enforcement/key-records.ts';
import type { OwnerNotice } from '../../../../shared/key-enforcement/notify/owner-notices.ts';
import { sendOwnerNotices } from '../../../../shared/key-enforcement/notify/send-owner-notices.ts';
import { FakeIamAccount } from '../../../helpers/fake-iam-account.ts';
import { FakeMailer } from '../../../helpers/fake-mailer.ts';

const context = { contacts: [], exemptTag: 'key-hygiene:exempt', inactiveGraceDays: 30 };

function notice(userName: string, recipient: OwnerNotice['recipient']): OwnerNotice {
  return {
    userName,
    recipient,
    items: [
      {
        accessKeyId: `AKIA${userName.toUpperCase()}`,
        ageDays: 80,
        createDate: new Date('2026-09-04T03:00:00Z'),
        reason: 'r',
        notice: {
          kind: 'warning',
          stage: 14,
          daysLeft: 10,
          deactivationDate: new Date('2026-12-03T03:00:00Z'),
        },
      },
    ],
    records: { [noticeTag(`AKIA${userName.toUpperCase()}`)]: 'warning-14' },
  };
}

describe('sendOwnerNotices', () => {
  it('mails each owner and records the notice only once the mail is sent', async () => {
    const account = new FakeIamAccount().addUser('nina').addUser('bob');
    const mailer = new FakeMailer();
    mailer.failFor.add('bob@corp.example');
    const results = await sendOwnerNotices(
      [
        notice('nina', { address: 'nina@corp.example', source: 'tag' }),
        notice('bob', { address: 'bob@corp.example', source: 'domain' }),
      ],
      { mailer, account, context },
    );
    expect(results.map((r) => [r.userName, r.status])).toEqual([
      ['nina', 'sent'],
      ['bob', 'failed'],
    ]);
    expect(results[1]?.detail).toContain('TooManyRequestsException');
    expect(account.tagsOf('nina')).toEqual({ [noticeTag('AKIANINA')]: 'warning-14' });
    // Not recorded: tomorrow's run sends it again.
    expect(account.tagsOf('bob')).toEqual({});
    expect(mailer.to('nina@corp.example')).toHaveLength(1);
  });

  it('reports an owner nobody can reach without sending anything', async () => {
    const account = new FakeIamAccount().addUser('hank');
    const mailer = new FakeMailer();
    const [result] = await sendOwnerNotices([notice('hank', { unreachable: 'no email tag' })], {
      mailer,
      account,
      context,
    });
    expect(result).toMatchObject({
      status: 'unreachable',
      detail: 'no email tag',
      keys: [{ accessKeyId: 'AKIAHANK', notice: 'warning' }],
    });
    expect(mailer.sent).toEqual([]);
    expect(account.calls).toEqual([]);
  });

  it('says so when a sent notice could not be recorded', async () => {
    const account = new FakeIamAccount().addUser('nina');
    account.failOn('tagUser', 'nina');
    const [result] = await sendOwnerNotices(
      [notice('nina', { address: 'nina@corp.example', source: 'tag' })],
      {
        mailer: new FakeMailer(),
        account,
        context,
      },
    );
    expect(result).toMatchObject({ status: 'sent', detail: expect.stringContaining('not recorded as sent') });
  });

  // EventBridge delivers the nightly event at least once: a second run may have told the owner since this
  // run read the user's tags.
  it('reads the notice records again just before mailing and skips an owner another run has told', async () => {
    const account = new FakeIamAccount()
      .addUser('nina', [], { [noticeTag('AKIANINA')]: 'warning-14' })
      .addUser('bob');
    const mailer = new FakeMailer();
    const results = await sendOwnerNotices(
      [
        notice('nina', { address: 'nina@corp.example', source: 'tag' }),
        notice('bob', { address: 'bob@corp.example', source: 'domain' }),
      ],
      { mailer, account, context },
    );
    expect(results.map((r) => [r.userName, r.status])).toEqual([
      ['nina', 'skipped'],
      ['bob', 'sent'],
    ]);
    expect(results[0]?.detail).toContain('another run');
    expect(mailer.to('nina@corp.example')).toEqual([]);
    expect(account.callsOf('listUserTags')).toEqual(['nina', 'bob']);
    expect(account.callsOf('tagUser')).toEqual(['bob']);
  });

  it('mails as planned when the records cannot be read again', async () => {
    const account = new FakeIamAccount().addUser('nina');
    account.failOn('listUserTags', 'nina');
    const mailer = new FakeMailer();
    const [result] = await sendOwnerNotices(
      [notice('nina', { address: 'nina@corp.example', source: 'tag' })],
      {
        mailer,
        account,
        context,
      },
    );
    expect(result?.status).toBe('sent');
    expect(mailer.to('nina@corp.example')).toHaveLength(1);
  });
});
