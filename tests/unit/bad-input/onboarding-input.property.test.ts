// Nearly-valid onboarding requests: a request every field of which IAM and the service accept, with exactly
// one field broken at a time. The request must be refused, and every problem named must be that field's;
// the valid requests themselves must be accepted unchanged. Each assertion runs outside any `catch`, so a
// validation that stops refusing fails these tests (remove the email check from onboarding-request.ts to
// see "email" properties fail).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOnboardingRequestError } from '../../../shared/onboarding/errors.ts';
import {
  MAX_USERS_PER_REQUEST,
  type NewUserRequest,
  type OnboardingRequestRules,
  parseOnboardingRequest,
} from '../../../shared/onboarding/onboarding-request.ts';

// `npm test`: 200 cases per property; `npm run test:faults`: 2000 (FAST_CHECK_RUNS).
const numRuns = Number(process.env.FAST_CHECK_RUNS ?? '200');

const rules: OnboardingRequestRules = {
  allowedGroups: ['developers', 'analysts', 'data.engineers'],
  allowedTagKeys: ['team', 'cost center', 'Kostenstelle'],
  serviceTagKeys: ['email', 'key-hygiene:onboarded', 'key-hygiene:onboarded-by', 'key-hygiene:exempt'],
  reservedTagPrefixes: ['key-hygiene:'],
};

const userName = fc.stringMatching(/^[\w+=,.@-]{1,64}$/);
// Plain addresses of the kind people have: no quoting, nothing a user tag cannot hold.
const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9_+-]{0,20}$/),
    fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/),
    fc.constantFrom('com', 'example', 'co.uk', 'de'),
  )
  .map(([local, domain, top]) => `${local}@${domain}.${top}`);
const groups = fc.subarray(rules.allowedGroups);
const tagValue = fc.stringMatching(/^[\p{L}\p{N} _.:/=+@-]{0,40}$/u);
const tags: fc.Arbitrary<Record<string, string>> = fc
  .subarray(rules.allowedTagKeys)
  .chain((keys) =>
    fc
      .array(tagValue, { minLength: keys.length, maxLength: keys.length })
      .map((values) => Object.fromEntries(keys.map((key, i) => [key, values[i] ?? '']))),
  );

const validUser: fc.Arbitrary<NewUserRequest> = fc.record({ userName, email, groups, tags });

type Field = keyof NewUserRequest;

/** For each field, values that break it (and only it) in an otherwise valid user. */
const BROKEN: Record<Field, fc.Arbitrary<unknown>> = {
  userName: fc.oneof(
    fc.constant(''),
    fc.stringMatching(/^[\w+=,.@-]{65,80}$/),
    fc.tuple(userName, fc.constantFrom(' ', '/', '*', 'ü', '#', ':')).map(([name, bad]) => `${name}${bad}`),
    fc.integer(),
    fc.constant(null),
  ),
  email: fc.oneof(
    fc.constant(''),
    email.map((address) => address.replace('@', '')),
    email.map((address) => `${address}\r\nBcc: all@example.com`),
    email.map((address) => `${address}\n`),
    email.map((address) => address.replace('@', '#@')),
    email.map((address) => `${address}@${address}`),
    fc.integer(),
  ),
  groups: fc.oneof(
    fc.constantFrom(['admins'], ['Administrators'], ['developers', 'developers'], [''], ['dev ops']),
    groups.map((allowed) => [...allowed, 'PowerUsers']),
    fc.constant('developers'),
    fc.constant({ developers: true }),
  ),
  tags: fc.oneof(
    tags.map((allowed) => ({ ...allowed, 'access-level': 'admin' })),
    tags.map((allowed) => ({ ...allowed, 'aws:createdBy': 'x' })),
    tags.map((allowed) => ({ ...allowed, 'key-hygiene:exempt': 'true' })),
    tags.map((allowed) => ({ ...allowed, Email: 'other@example.com' })),
    tags.map((allowed) => ({ ...allowed, TEAM: 'data' })),
    fc.constant({ team: '#data' }),
    fc.constant({ team: 'v'.repeat(257) }),
    fc.constant({ team: 42 }),
    fc.constant(['team']),
  ),
};
const FIELDS = Object.keys(BROKEN) as Field[];

const brokenUser = fc
  .tuple(validUser, fc.constantFrom(...FIELDS))
  .chain(([user, field]) => BROKEN[field].map((value) => ({ user: { ...user, [field]: value }, field })));

/** What parsing `event` threw; fails the test when it throws nothing, or anything but the domain error. */
function refusal(event: unknown): InvalidOnboardingRequestError {
  const thrown = (() => {
    try {
      parseOnboardingRequest(event, rules);
    } catch (error: unknown) {
      return error;
    }
    return undefined;
  })();
  expect(thrown, `accepted ${JSON.stringify(event)}`).toBeInstanceOf(InvalidOnboardingRequestError);
  return thrown as InvalidOnboardingRequestError;
}

/** The field a problem is about, without its index or key: `users[2].tags["a b"]` -> `users[2].tags`. */
const fieldOf = (name: string, prefix: string) => name.slice(prefix.length).match(/^\w+/)?.[0];

describe('onboarding requests, one field broken at a time', () => {
  it('accepts every valid request, unchanged', () => {
    fc.assert(
      fc.property(validUser, (user) => {
        expect(parseOnboardingRequest(user, rules)).toEqual({ users: [user], batch: false });
      }),
      { numRuns, seed: 7 },
    );
  });

  it('refuses a user with one bad field, naming that field and no other', () => {
    fc.assert(
      fc.property(brokenUser, ({ user, field }) => {
        const error = refusal(user);

        expect(error.problems.length).toBeGreaterThan(0);
        for (const problem of error.problems) {
          expect(fieldOf(problem.field, ''), problem.field).toBe(field);
          expect(error.message).toContain(`${problem.field}: ${problem.message}`);
        }
      }),
      { numRuns, seed: 11 },
    );
  });

  it('refuses a user with one field left out when it is required, naming it', () => {
    fc.assert(
      fc.property(validUser, fc.constantFrom<Field>('userName', 'email'), (user, field) => {
        const { [field]: _missing, ...rest } = user;

        expect(refusal(rest).problems).toEqual([{ field, message: 'is required' }]);
      }),
      { numRuns: Math.ceil(numRuns / 4), seed: 12 },
    );
  });

  it('names the user of a batch whose field is bad, and only that one', () => {
    const batch = fc
      .uniqueArray(validUser, {
        minLength: 1,
        maxLength: MAX_USERS_PER_REQUEST,
        selector: (user) => user.userName.toLowerCase(),
      })
      .chain((users) =>
        fc.tuple(fc.nat(users.length - 1), brokenUser).map(([index, broken]) => ({ users, index, broken })),
      );

    fc.assert(
      fc.property(batch, ({ users, index, broken }) => {
        const sent = users.map((user, i) =>
          i === index ? { ...broken.user, userName: user.userName } : user,
        );
        // A broken user name stays broken: put it back.
        if (broken.field === 'userName') sent[index] = broken.user;

        const error = refusal({ users: sent });

        for (const problem of error.problems) {
          expect(problem.field.startsWith(`users[${index}].`), problem.field).toBe(true);
          expect(fieldOf(problem.field, `users[${index}].`)).toBe(broken.field);
        }
      }),
      { numRuns, seed: 13 },
    );
  });
});
