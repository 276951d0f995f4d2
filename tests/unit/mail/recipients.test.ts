import { describe, expect, it } from 'vitest';
import { ownerRecipient } from '../../../shared/mail/recipients.ts';

const settings = { emailTag: 'email', emailDomain: undefined };

describe('ownerRecipient', () => {
  it.each([
    {
      case: 'the email tag first',
      user: 'bob',
      tags: { email: 'bob@corp.example' },
      domain: 'x.example',
      expected: { address: 'bob@corp.example', source: 'tag' },
    },
    {
      case: 'the user name when it is an address',
      user: 'jane@corp.example',
      tags: {},
      domain: undefined,
      expected: { address: 'jane@corp.example', source: 'user name' },
    },
    {
      case: 'user@EMAIL_DOMAIN next',
      user: 'bob',
      tags: {},
      domain: 'corp.example',
      expected: { address: 'bob@corp.example', source: 'domain' },
    },
    {
      case: 'a tag that is trimmed',
      user: 'bob',
      tags: { email: '  bob@corp.example ' },
      domain: undefined,
      expected: { address: 'bob@corp.example', source: 'tag' },
    },
  ])('uses $case', ({ user, tags, domain, expected }) => {
    expect(
      ownerRecipient(user, tags as Record<string, string>, { ...settings, emailDomain: domain }),
    ).toEqual(expected);
  });

  it.each([
    {
      case: 'no tag, no address-shaped name, no domain',
      user: 'bob',
      tags: {},
      domain: undefined,
      why: /EMAIL_DOMAIN is not set/,
    },
    {
      case: 'a tag with a line break (header injection)',
      user: 'bob',
      tags: { email: 'bob@corp.example\r\nBcc: x@evil.example' },
      domain: 'corp.example',
      why: /email tag is not a usable email address/,
    },
    {
      case: 'a tag that is not an address',
      user: 'bob',
      tags: { email: 'bob at corp' },
      domain: 'corp.example',
      why: /not a usable/,
    },
  ])('finds nobody for $case, and says why', ({ user, tags, domain, why }) => {
    const recipient = ownerRecipient(user, tags as Record<string, string>, {
      ...settings,
      emailDomain: domain,
    });
    expect(recipient).toEqual({ unreachable: expect.stringMatching(why) });
  });

  it('reads the configured tag name', () => {
    expect(
      ownerRecipient(
        'bob',
        { contact: 'b@corp.example', email: 'x@corp.example' },
        { emailTag: 'contact', emailDomain: undefined },
      ),
    ).toEqual({
      address: 'b@corp.example',
      source: 'tag',
    });
  });

  // Every character IAM allows in a user name (letters, digits and + = , . @ - _): mailed at one address, or
  // listed as unreachable with the reason, never split into two recipients.
  it.each([
    { user: 'a+b=c', expected: { address: 'a+b=c@corp.example', source: 'domain' } },
    { user: 'first.last', expected: { address: 'first.last@corp.example', source: 'domain' } },
    { user: 'x_y-z', expected: { address: 'x_y-z@corp.example', source: 'domain' } },
    { user: 'jane@team.example', expected: { address: 'jane@team.example', source: 'user name' } },
    { user: 'dev,ops', expected: { unreachable: 'dev,ops@corp.example is not a usable email address' } },
    {
      user: 'a@x.example,b@y.example',
      expected: { unreachable: 'a@x.example,b@y.example@corp.example is not a usable email address' },
    },
    { user: 'a..b', expected: { unreachable: 'a..b@corp.example is not a usable email address' } },
    { user: '.dot', expected: { unreachable: '.dot@corp.example is not a usable email address' } },
    { user: 'at@@twice', expected: { unreachable: 'at@@twice@corp.example is not a usable email address' } },
  ])('mails the user $user at one address or none', ({ user, expected }) => {
    expect(ownerRecipient(user, {}, { ...settings, emailDomain: 'corp.example' })).toEqual(expected);
  });
});
