import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../../shared/mail/email-address.ts';
import { InvalidOnboardingRequestError } from '../../../shared/onboarding/errors.ts';
import {
  MAX_USERS_PER_REQUEST,
  parseOnboardingRequest,
} from '../../../shared/onboarding/onboarding-request.ts';

const rules = {
  allowedGroups: undefined,
  serviceTagKeys: ['email', 'key-hygiene:exempt'],
  reservedTagPrefixes: ['key-hygiene:'],
};

const validUser = {
  userName: 'jane.doe',
  email: 'jane.doe@example.com',
  groups: ['developers'],
  tags: { team: 'data' },
};

/** Either a request every field of which IAM would accept, or the domain error naming the bad fields. */
function checkOutcome(event: unknown): void {
  let request: ReturnType<typeof parseOnboardingRequest>;
  try {
    request = parseOnboardingRequest(event, rules);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(InvalidOnboardingRequestError);
    const problems = (error as InvalidOnboardingRequestError).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.field).not.toBe('');
      expect((error as Error).message).toContain(`${problem.field}: ${problem.message}`);
    }
    return;
  }
  expect(request.users.length).toBeGreaterThan(0);
  expect(request.users.length).toBeLessThanOrEqual(MAX_USERS_PER_REQUEST);
  for (const user of request.users) {
    expect(user.userName).toMatch(/^[\w+=,.@-]{1,64}$/);
    expect(() => checkAddress(user.email)).not.toThrow();
    expect(Object.keys(user.tags).some((key) => key.toLowerCase().startsWith('key-hygiene:'))).toBe(false);
  }
}

describe('onboarding requests, whatever is sent', () => {
  it('are either valid or refused with an error naming each bad field, never anything else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (event) => checkOutcome(event)),
      { numRuns: 500, seed: 7 },
    );
  });

  it('refuses any one field of a valid request made bad, naming that field', () => {
    const field = fc.constantFrom('userName', 'email', 'groups', 'tags');
    const junk = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
      fc.constantFrom('a@example.com\r\nBcc: x@evil.example', 'x'.repeat(65), 'key-hygiene:exempt', ''),
    );
    fc.assert(
      fc.property(field, junk, (name, value) => {
        const event = { ...validUser, [name]: value };
        checkOutcome(event);
        try {
          parseOnboardingRequest(event, rules);
        } catch (error: unknown) {
          const fields = (error as InvalidOnboardingRequestError).problems.map((problem) => problem.field);
          expect(fields.some((candidate) => candidate.startsWith(name))).toBe(true);
        }
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('names the user of a batch whose field is bad', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.string(), (index, email) => {
        const users = Array.from({ length: 5 }, (_, i) => ({ ...validUser, userName: `user${i}` }));
        users[index] = { ...validUser, userName: `user${index}`, email };
        try {
          parseOnboardingRequest({ users }, rules);
        } catch (error: unknown) {
          expect(error).toBeInstanceOf(InvalidOnboardingRequestError);
          const fields = (error as InvalidOnboardingRequestError).problems.map((problem) => problem.field);
          expect(fields).toContain(`users[${index}].email`);
        }
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});
