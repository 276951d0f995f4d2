import { describe, expect, it } from 'vitest';
import { InvalidOnboardingRequestError } from '../../../shared/onboarding/errors.ts';
import {
  fieldName,
  type OnboardingRequestRules,
  parseOnboardingRequest,
  userField,
} from '../../../shared/onboarding/onboarding-request.ts';

const RULES: OnboardingRequestRules = {
  allowedGroups: ['developers', 'analysts'],
  allowedTagKeys: ['team'],
  serviceTagKeys: ['email', 'key-hygiene:onboarded', 'key-hygiene:onboarded-by', 'key-hygiene:exempt'],
  reservedTagPrefixes: ['key-hygiene:'],
};

const jane = {
  userName: 'jane.doe',
  email: 'jane.doe@example.com',
  groups: ['developers'],
  tags: { team: 'data' },
};

function tagsOf(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`tag-${index}`, 'x']));
}

/** Parses and returns the InvalidOnboardingRequestError; fails the test when it throws nothing or else. */
function refusal(event: unknown, rules = RULES): InvalidOnboardingRequestError {
  try {
    parseOnboardingRequest(event, rules);
  } catch (error: unknown) {
    if (error instanceof InvalidOnboardingRequestError) return error;
    throw error;
  }
  return expect.unreachable('expected an InvalidOnboardingRequestError');
}

describe('parseOnboardingRequest', () => {
  it('reads one user', () => {
    expect(parseOnboardingRequest(jane, RULES)).toEqual({ users: [jane], batch: false });
  });

  it('reads a batch', () => {
    const john = { userName: 'john', email: 'john@example.com', groups: [], tags: {} };
    expect(parseOnboardingRequest({ users: [jane, john] }, RULES)).toEqual({
      users: [jane, john],
      batch: true,
    });
  });

  it('gives a user with neither groups nor tags none of either', () => {
    expect(parseOnboardingRequest({ userName: 'ann', email: 'ann@example.com' }, RULES).users).toEqual([
      { userName: 'ann', email: 'ann@example.com', groups: [], tags: {} },
    ]);
  });

  it.each([
    ['the longest user name', { ...jane, userName: 'a'.repeat(64) }],
    ['every character IAM allows in a user name', { ...jane, userName: 'Jane_Doe+ops=1,x.y@corp-2' }],
    ['an allowed group', { ...jane, groups: ['developers'] }],
    ['a group name of 128 characters', { ...jane, groups: ['g'.repeat(128)] }],
    ["47 tags (50 minus the service's 3)", { ...jane, tags: tagsOf(47) }],
    [
      'a tag key of 128 and a value of 256 characters',
      { ...jane, tags: { ['k'.repeat(128)]: 'v'.repeat(256) } },
    ],
    ['an empty tag value', { ...jane, tags: { team: '' } }],
    [
      'tags in other scripts and with spaces',
      { ...jane, tags: { 'Kostenstelle Süd': 'Größe 1/2 = 0.5 @ +-_:' } },
    ],
    ['a tag starting with "awsome"', { ...jane, tags: { awsome: 'yes' } }],
    ['a plus address', { ...jane, email: 'jane.doe+aws@mail.example.co.uk' }],
  ])('accepts %s', (_case, user) => {
    const rules = {
      ...RULES,
      allowedGroups: user.groups,
      allowedTagKeys: Object.keys(user.tags),
      serviceTagKeys: RULES.serviceTagKeys.slice(0, 3),
    };
    expect(parseOnboardingRequest(user, rules).users[0]).toEqual(user);
  });

  it.each([
    // The user name
    ['a missing user name', { ...jane, userName: undefined }, 'userName', 'is required'],
    ['an empty user name', { ...jane, userName: '' }, 'userName', 'must not be empty'],
    ['a user name of 65 characters', { ...jane, userName: 'a'.repeat(65) }, 'userName', 'at most 64'],
    ['a user name with a space', { ...jane, userName: 'jane doe' }, 'userName', 'letters, digits'],
    ['a user name with a slash', { ...jane, userName: 'team/jane' }, 'userName', 'letters, digits'],
    ['a user name with an umlaut', { ...jane, userName: 'jürgen' }, 'userName', 'letters, digits'],
    ['a user name that is a number', { ...jane, userName: 42 }, 'userName', 'must be a string'],
    // The email
    ['a missing email', { ...jane, email: undefined }, 'email', 'is required'],
    ['an email without @', { ...jane, email: 'jane.doe.example.com' }, 'email', 'must be an email address'],
    [
      'an email without a domain dot',
      { ...jane, email: 'jane@localhost' },
      'email',
      'must be an email address',
    ],
    [
      'an email with a display name',
      { ...jane, email: 'Jane <jane@example.com>' },
      'email',
      'must be an email',
    ],
    [
      'an email with a LF',
      { ...jane, email: 'jane@example.com\nBcc: all@example.com' },
      'email',
      'line break',
    ],
    ['an email with a CR', { ...jane, email: 'jane@example.com\r' }, 'email', 'line break'],
    [
      'an email a tag cannot hold',
      { ...jane, email: "o'brien@example.com" },
      'email',
      'stored in a user tag',
    ],
    ['an email with spaces around it', { ...jane, email: ' jane@example.com' }, 'email', 'must be an email'],
    // The groups
    ['groups that are not a list', { ...jane, groups: 'developers' }, 'groups', 'list of group names'],
    ['an empty group name', { ...jane, groups: [''] }, 'groups[0]', 'must not be empty'],
    ['a group name of 129 characters', { ...jane, groups: ['g'.repeat(129)] }, 'groups[0]', 'at most 128'],
    ['a group name with a space', { ...jane, groups: ['dev ops'] }, 'groups[0]', 'letters, digits'],
    [
      'a group named twice',
      { ...jane, groups: ['developers', 'developers'] },
      'groups[1]',
      'repeats the group',
    ],
    // The tags
    ['tags that are a list', { ...jane, tags: ['team'] }, 'tags', 'object of tag keys'],
    ['a tag value that is a number', { ...jane, tags: { floor: 3 } }, 'tags.floor', 'must be a string'],
    ['48 tags', { ...jane, tags: tagsOf(48) }, 'tags', 'at most 46 tags'],
    [
      'a tag key of 129 characters',
      { ...jane, tags: { ['k'.repeat(129)]: 'v' } },
      `tags.${'k'.repeat(129)}`,
      'at most 128',
    ],
    [
      'a tag value of 257 characters',
      { ...jane, tags: { team: 'v'.repeat(257) } },
      'tags.team',
      'at most 256',
    ],
    ['a tag key with *', { ...jane, tags: { 'cost*': 'x' } }, 'tags["cost*"]', 'tag keys may hold only'],
    ['a tag value with #', { ...jane, tags: { team: '#data' } }, 'tags.team', 'tag values may hold only'],
    ['an empty tag key', { ...jane, tags: { '': 'x' } }, 'tags[""]', 'must not be empty'],
    [
      'a tag key starting with aws:',
      { ...jane, tags: { 'aws:team': 'x' } },
      'tags["aws:team"]',
      'reserved by AWS',
    ],
    [
      'a tag key starting with AWS:',
      { ...jane, tags: { 'AWS:team': 'x' } },
      'tags["AWS:team"]',
      'reserved by AWS',
    ],
    [
      'tag keys that differ in case only',
      { ...jane, tags: { Team: 'a', team: 'b' } },
      'tags.team',
      'ignore case',
    ],
    ['the email tag', { ...jane, tags: { Email: 'x@example.com' } }, 'tags.Email', 'own tag "email"'],
    [
      'the exempt tag',
      { ...jane, tags: { 'key-hygiene:exempt': 'true' } },
      'tags["key-hygiene:exempt"]',
      'own tag',
    ],
    [
      'a tag under the service prefix',
      { ...jane, tags: { 'Key-Hygiene:anything': 'x' } },
      'tags["Key-Hygiene:anything"]',
      'reserved for the service',
    ],
    // The shape
    ['an unknown field', { ...jane, group: 'developers' }, 'group', 'is not a known field'],
  ])('refuses %s, naming the field', (_case, event, field, message) => {
    const error = refusal(event);

    expect(error.problems).toContainEqual({ field, message: expect.stringContaining(message) });
    expect(error.message).toContain(`${field}: `);
    expect(error.message).toContain('nothing was created');
  });

  it('refuses a group that ALLOWED_GROUPS does not list, naming the allowed ones', () => {
    const error = refusal(
      { ...jane, groups: ['developers', 'admins'] },
      { ...RULES, allowedGroups: ['developers'] },
    );

    expect(error.problems).toEqual([
      { field: 'groups[1]', message: 'is not an allowed group (ALLOWED_GROUPS: developers)' },
    ]);
  });

  it.each([
    [
      'a tag key ALLOWED_TAG_KEYS does not list',
      { ...jane, tags: { team: 'data', 'cost-center': '42' } },
      RULES,
      [{ field: 'tags["cost-center"]', message: 'is not an allowed tag key (ALLOWED_TAG_KEYS: team)' }],
    ],
    [
      'a listed tag key in another case (compared exactly, as the role does)',
      { ...jane, tags: { Team: 'data' } },
      RULES,
      [{ field: 'tags.Team', message: 'is not an allowed tag key (ALLOWED_TAG_KEYS: team)' }],
    ],
    [
      'any tag when ALLOWED_TAG_KEYS is empty',
      jane,
      { ...RULES, allowedTagKeys: [] },
      [{ field: 'tags.team', message: 'is not an allowed tag key (ALLOWED_TAG_KEYS: none)' }],
    ],
    [
      'any group when ALLOWED_GROUPS is empty',
      jane,
      { ...RULES, allowedGroups: [] },
      [{ field: 'groups[0]', message: 'is not an allowed group (ALLOWED_GROUPS: none)' }],
    ],
  ])('refuses %s, naming the allowed ones', (_case, event, rules, problems) => {
    expect(refusal(event, rules).problems).toEqual(problems);
  });

  it.each([
    ['null', null],
    ['a string', 'jane.doe'],
    ['a list', [jane]],
    ['a number', 7],
  ])('refuses %s as the event', (_case, event) => {
    expect(refusal(event).problems).toEqual([
      { field: 'event', message: expect.stringContaining('must be one user') },
    ]);
  });

  describe('batches', () => {
    it('names the field of the user it belongs to', () => {
      const error = refusal({
        users: [
          jane,
          { ...jane, userName: 'john', email: 'john' },
          { ...jane, userName: 'ann', tags: { 'aws:x': '1' } },
        ],
      });

      expect(error.problems).toEqual([
        { field: 'users[1].email', message: expect.stringContaining('must be an email address') },
        { field: 'users[2].tags["aws:x"]', message: expect.stringContaining('reserved by AWS') },
      ]);
    });

    it('reports every bad user, not only the first', () => {
      const error = refusal({
        users: [{ ...jane, userName: '' }, jane, { ...jane, userName: 'john', email: 'x' }],
      });

      expect(error.problems).toEqual([
        { field: 'users[0].userName', message: 'must not be empty' },
        { field: 'users[2].email', message: expect.stringContaining('must be an email address') },
      ]);
    });

    it.each([
      ['empty', { users: [] }, 'users', 'at least one user'],
      [
        'of 11 users',
        { users: Array.from({ length: 11 }, (_, i) => ({ ...jane, userName: `u${i}` })) },
        'users',
        'at most 10',
      ],
      ['not a list', { users: jane }, 'users', 'list of users'],
      ['with a user field beside users', { users: [jane], userName: 'x' }, 'userName', 'not a known field'],
      [
        'naming a user twice, whatever the case',
        { users: [jane, { ...jane, userName: 'Jane.Doe' }] },
        'users[1].userName',
        'repeats users[0].userName',
      ],
    ])('refuses a batch %s', (_case, event, field, message) => {
      expect(refusal(event).problems).toContainEqual({ field, message: expect.stringContaining(message) });
    });

    it('accepts ten users', () => {
      const users = Array.from({ length: 10 }, (_, index) => ({ ...jane, userName: `user-${index}` }));
      expect(parseOnboardingRequest({ users }, RULES).users).toHaveLength(10);
    });
  });
});

describe('fieldName', () => {
  it.each([
    [[], 'event'],
    [['users', 2, 'email'], 'users[2].email'],
    [['groups', 0], 'groups[0]'],
    [['tags', 'team'], 'tags.team'],
    [['tags', 'cost center'], 'tags["cost center"]'],
    [['tags', 'a"b'], 'tags["a\\"b"]'],
  ])('writes %j as %s', (path, name) => {
    expect(fieldName(path)).toBe(name);
  });
});

describe('userField', () => {
  it.each([
    [false, 'userName'],
    [true, 'users[3].userName'],
  ])('names a field of a user in a request (batch: %s) as %s', (batch, name) => {
    expect(userField({ users: [], batch }, 3, 'userName')).toBe(name);
  });
});
