import { describe, expect, it } from 'vitest';
import {
  NO_MFA_TAG,
  noMfaValue,
  PASSWORD_NOTICE_TAG,
  passwordNoticeValue,
  readNoMfa,
  readPasswordNotice,
} from '../../../shared/console-access/console-records.ts';
import { IAM_TAG_VALUE } from '../../../shared/kernel/iam-names.ts';

const AT = new Date('2026-11-23T03:00:00.000Z');
const LATER = new Date('2026-11-30T03:00:00.000Z');

describe('console-access records', () => {
  it('writes tag values IAM accepts, and reads them back', () => {
    const notice = passwordNoticeValue({ stage: 7, sentAt: AT, removalDate: LATER });
    const mfa = noMfaValue({ since: AT, remindedAt: LATER });
    for (const value of [notice, mfa]) {
      expect(value).toMatch(IAM_TAG_VALUE);
      expect(value.length).toBeLessThanOrEqual(256);
    }
    expect(readPasswordNotice({ [PASSWORD_NOTICE_TAG]: notice })).toEqual({
      stage: 7,
      sentAt: AT,
      removalDate: LATER,
    });
    expect(readNoMfa({ [NO_MFA_TAG]: mfa })).toEqual({ since: AT, remindedAt: LATER });
    expect(readNoMfa({ [NO_MFA_TAG]: noMfaValue({ since: AT }) })).toEqual({ since: AT });
  });

  it.each(['', 'warning-7', 'warning-x 2026-11-23T03:00:00.000Z 2026-11-30T03:00:00.000Z', 'deactivated'])(
    'reads %j as no password notice',
    (value) => {
      expect(readPasswordNotice({ [PASSWORD_NOTICE_TAG]: value })).toBeUndefined();
    },
  );

  it.each(['', 'since yesterday', 'reminded 2026-11-23T03:00:00.000Z'])(
    'reads %j as no MFA record',
    (value) => {
      expect(readNoMfa({ [NO_MFA_TAG]: value })).toBeUndefined();
    },
  );
});
