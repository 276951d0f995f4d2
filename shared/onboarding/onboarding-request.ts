import { z } from 'zod';
import {
  IAM_GROUP_NAME,
  IAM_NAME_CHARACTERS,
  IAM_TAG_CHARACTERS,
  IAM_TAG_KEY,
  IAM_TAG_VALUE,
  IAM_USER_NAME,
} from '../kernel/index.ts';
import { checkAddress, InvalidAddressError } from '../mail/index.ts';
import { type FieldProblem, InvalidOnboardingRequestError } from './errors.ts';

/** At most this many users in one request: one EventBridge call, well inside a Lambda's time. */
export const MAX_USERS_PER_REQUEST = 10;
/** IAM's limit of tags per user, the service's own tags included. */
export const MAX_TAGS_PER_USER = 50;

/** One user to onboard, as validated at the edge. */
export interface NewUserRequest {
  userName: string;
  email: string;
  groups: string[];
  tags: Record<string, string>;
}

export interface OnboardingRequest {
  users: NewUserRequest[];
  /** True for `{"users": [...]}`; field names then start with `users[i].`. */
  batch: boolean;
}

/** The settings a request is checked against. */
export interface OnboardingRequestRules {
  /** The only groups a request may name (ALLOWED_GROUPS); none when empty. */
  allowedGroups: string[];
  /**
   * The only tag keys a request may set (ALLOWED_TAG_KEYS); none when empty. Compared exactly, as the
   * role's aws:TagKeys condition compares them.
   */
  allowedTagKeys: string[];
  /** Tag keys the service sets itself (compared case-insensitively, as IAM does). */
  serviceTagKeys: string[];
  /** Key prefixes reserved for the service's own tags (compared case-insensitively). */
  reservedTagPrefixes: string[];
}

/** A user or group name: one problem at a time, emptiness and length first, then IAM's grammar. */
function iamName(grammar: RegExp, maxLength: number) {
  return z.string({ message: 'must be a string' }).superRefine((name, context) => {
    const problem =
      name.length === 0
        ? 'must not be empty'
        : name.length > maxLength
          ? `must be at most ${maxLength} characters`
          : grammar.test(name)
            ? undefined
            : `may hold only ${IAM_NAME_CHARACTERS}`;
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });
}

function userSchema(rules: OnboardingRequestRules) {
  const maxUserTags = MAX_TAGS_PER_USER - rules.serviceTagKeys.length;
  return z.strictObject({
    userName: iamName(IAM_USER_NAME, 64),
    email: z.string({ message: 'must be a string' }).superRefine((email, context) => {
      const problem = emailProblem(email);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    }),
    groups: z
      .array(
        iamName(IAM_GROUP_NAME, 128).refine((group) => rules.allowedGroups.includes(group), {
          message: `is not an allowed group (ALLOWED_GROUPS: ${allowed(rules.allowedGroups)})`,
        }),
        { message: 'must be a list of group names' },
      )
      .superRefine((groups, context) => {
        groups.forEach((group, index) => {
          if (groups.indexOf(group) !== index) {
            context.addIssue({ code: 'custom', path: [index], message: `repeats the group ${group}` });
          }
        });
      })
      .default([]),
    tags: z
      .record(z.string(), z.string({ message: 'must be a string' }), {
        message: 'must be an object of tag keys and string values',
      })
      .superRefine((tags, context) => {
        const keys = Object.keys(tags);
        if (keys.length > maxUserTags) {
          context.addIssue({
            code: 'custom',
            message: `must hold at most ${maxUserTags} tags (IAM allows ${MAX_TAGS_PER_USER} per user and the service adds ${rules.serviceTagKeys.length})`,
          });
        }
        const seen = new Map<string, string>();
        for (const key of keys) {
          const problem = tagKeyProblem(key, rules) ?? tagValueProblem(tags[key] ?? '');
          if (problem !== undefined) context.addIssue({ code: 'custom', path: [key], message: problem });
          const earlier = seen.get(key.toLowerCase());
          if (earlier !== undefined) {
            context.addIssue({
              code: 'custom',
              path: [key],
              message: `duplicates the tag ${JSON.stringify(earlier)} (IAM tag keys ignore case)`,
            });
          }
          seen.set(key.toLowerCase(), key);
        }
      })
      .default({}),
  });
}

function emailProblem(email: string): string | undefined {
  try {
    checkAddress(email);
  } catch (error: unknown) {
    if (!(error instanceof InvalidAddressError)) throw error;
    return /[\r\n]/.test(email)
      ? 'must not contain a line break (CR or LF)'
      : 'must be an email address such as jane.doe@example.com';
  }
  // The address is kept in a user tag, so it must also be a valid tag value.
  return IAM_TAG_VALUE.test(email)
    ? undefined
    : `must hold only ${IAM_TAG_CHARACTERS} (it is stored in a user tag)`;
}

function tagKeyProblem(key: string, rules: OnboardingRequestRules): string | undefined {
  if (key.length === 0) return 'tag keys must not be empty';
  if (key.length > 128) return 'tag keys must be at most 128 characters';
  if (!IAM_TAG_KEY.test(key)) return `tag keys may hold only ${IAM_TAG_CHARACTERS}`;
  const lower = key.toLowerCase();
  if (lower.startsWith('aws:')) return 'tag keys must not start with aws: (reserved by AWS)';
  const serviceTag = rules.serviceTagKeys.find((reserved) => reserved.toLowerCase() === lower);
  if (serviceTag !== undefined) return `is the service's own tag ${JSON.stringify(serviceTag)}`;
  const prefix = rules.reservedTagPrefixes.find((reserved) => lower.startsWith(reserved.toLowerCase()));
  if (prefix !== undefined) return `tag keys starting with ${prefix} are reserved for the service`;
  if (!rules.allowedTagKeys.includes(key)) {
    return `is not an allowed tag key (ALLOWED_TAG_KEYS: ${allowed(rules.allowedTagKeys)})`;
  }
  return undefined;
}

function tagValueProblem(value: string): string | undefined {
  if (value.length > 256) return 'tag values must be at most 256 characters';
  if (!IAM_TAG_VALUE.test(value)) return `tag values may hold only ${IAM_TAG_CHARACTERS}`;
  return undefined;
}

/** An allow-list as an error message shows it. */
function allowed(list: string[]): string {
  return list.length === 0 ? 'none' : list.join(', ');
}

function requestSchema(rules: OnboardingRequestRules) {
  const user = userSchema(rules);
  const batch = z.strictObject({
    users: z
      .array(user, { message: 'must be a list of users' })
      .min(1, 'must hold at least one user')
      .max(MAX_USERS_PER_REQUEST, `must hold at most ${MAX_USERS_PER_REQUEST} users`)
      .superRefine((users, context) => {
        // IAM user names are unique regardless of case.
        const seen = new Map<string, number>();
        users.forEach((entry, index) => {
          const earlier = seen.get(entry.userName.toLowerCase());
          if (earlier === undefined) seen.set(entry.userName.toLowerCase(), index);
          else {
            context.addIssue({
              code: 'custom',
              path: [index, 'userName'],
              message: `repeats users[${earlier}].userName (IAM user names ignore case)`,
            });
          }
        });
      }),
  });
  return { user, batch };
}

/** `users[2].email`, `tags["cost center"]`: a zod path as a person reads it. */
export function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const segment of path) {
    if (typeof segment === 'number') name += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][\w]*$/.test(segment)) {
      name += name === '' ? segment : `.${segment}`;
    } else name += `[${JSON.stringify(String(segment))}]`;
  }
  return name === '' ? 'event' : name;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function problemsOf(error: z.ZodError, event: unknown): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldName([...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    if (issue.code === 'invalid_type' && valueAt(event, issue.path) === undefined) {
      return [{ field: fieldName(issue.path), message: 'is required' }];
    }
    return [{ field: fieldName(issue.path), message: issue.message }];
  });
}

/**
 * Reads an onboarding request: one user (`{"userName", "email", "groups", "tags"}`) or a batch
 * (`{"users": [...]}`, at most 10). Checks everything that can be checked without AWS.
 * @throws {InvalidOnboardingRequestError} naming every bad field (`users[2].email: ...`).
 */
export function parseOnboardingRequest(event: unknown, rules: OnboardingRequestRules): OnboardingRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidOnboardingRequestError([
      {
        field: 'event',
        message: 'must be one user {"userName", "email", "groups", "tags"} or a batch {"users": [...]}',
      },
    ]);
  }
  const schemas = requestSchema(rules);
  if ('users' in event) {
    const result = schemas.batch.safeParse(event);
    if (!result.success) throw new InvalidOnboardingRequestError(problemsOf(result.error, event));
    return { users: result.data.users, batch: true };
  }
  const result = schemas.user.safeParse(event);
  if (!result.success) throw new InvalidOnboardingRequestError(problemsOf(result.error, event));
  return { users: [result.data], batch: false };
}

/** The name of a field of the `index`th user of a request, as the caller wrote it. */
export function userField(request: OnboardingRequest, index: number, ...path: PropertyKey[]): string {
  return fieldName(request.batch ? ['users', index, ...path] : path);
}
