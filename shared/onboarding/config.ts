import { z } from 'zod';
import {
  commaList,
  DEFAULT_EVENT_BUS_NAME,
  DEFAULT_EXEMPT_TAG,
  type Environment,
  eventBusName,
  IAM_GROUP_NAME,
  IAM_PATH,
  IAM_POLICY_ARN,
  IAM_TAG_CHARACTERS,
  IAM_TAG_KEY,
  parseEnvironment,
  SERVICE_TAG_PREFIX,
  tagName,
  unsetWhenEmpty,
} from '../kernel/index.ts';

export interface OnboardingConfig {
  /** The managed policy every new user gets: manage their own password, MFA devices and access keys. */
  selfServicePolicyArn: string;
  /** Set on every new user when present: the most their permissions can ever reach. */
  permissionsBoundaryArn: string | undefined;
  /** The IAM path new users are created under: theirs alone, for the role acts on every user under it. */
  userPath: string;
  /** The only groups a new user may be put in; none when empty. */
  allowedGroups: string[];
  /** The only tag keys a request may set on a new user; none when empty. */
  allowedTagKeys: string[];
  /** The tag that exempts a user from key enforcement: a request may not set it. */
  exemptTag: string;
  /** The EventBridge bus that receives audit events. */
  eventBusName: string;
}

const policyArn = z.string().regex(IAM_POLICY_ARN, {
  message: 'must be the ARN of an IAM managed policy, e.g. arn:aws:iam::123456789012:policy/name',
});

/** Where onboarded users are created unless USER_PATH names another path. */
export const DEFAULT_USER_PATH = '/key-hygiene/';

const iamPath = z
  .string()
  .max(512, 'must be at most 512 characters')
  .regex(IAM_PATH, { message: 'must be an IAM path such as /key-hygiene/ (starts and ends with /)' })
  // The onboarding role may set passwords on, and delete, the users under this path: under / that is
  // every user of the account.
  .refine((path) => path !== '/', {
    message: 'must not be /: it must be a path of the onboarded users alone, such as /key-hygiene/',
  });

const tagKey = z
  .string()
  .max(128, 'must be tag keys of at most 128 characters')
  .regex(IAM_TAG_KEY, `must be tag keys of ${IAM_TAG_CHARACTERS} separated by commas`)
  .refine((key) => !/^(aws|key-hygiene):/i.test(key), {
    message: `must not name tags starting with aws: (AWS's) or ${SERVICE_TAG_PREFIX} (the service's)`,
  });

const onboardingEnvironment = z.object({
  SELF_SERVICE_POLICY_ARN: z.preprocess(
    unsetWhenEmpty,
    z
      .string({ message: 'must be set: the ARN of the self-service managed policy new users get' })
      .pipe(policyArn),
  ),
  PERMISSIONS_BOUNDARY_ARN: z.preprocess(unsetWhenEmpty, policyArn.optional()),
  USER_PATH: z.preprocess(unsetWhenEmpty, iamPath.optional()),
  // The list is comma-separated, so a group whose name holds a comma (IAM allows one) cannot be listed.
  ALLOWED_GROUPS: z.preprocess(
    commaList,
    z
      .array(
        z.string().regex(IAM_GROUP_NAME, {
          message: 'must be IAM group names (letters, digits and + = . @ _ -) separated by commas',
        }),
      )
      .optional(),
  ),
  ALLOWED_TAG_KEYS: z.preprocess(commaList, z.array(tagKey).optional()),
  EXEMPT_TAG: tagName,
  EVENT_BUS_NAME: eventBusName,
});

/**
 * Reads the onboarding settings from the environment. SELF_SERVICE_POLICY_ARN is required: a user who
 * cannot manage their own password, MFA and keys is not onboarded the way this service promises. With
 * ALLOWED_GROUPS or ALLOWED_TAG_KEYS unset, a request may name no group or set no tag.
 * @throws {ConfigError} naming every variable that is missing or malformed.
 */
export function loadOnboardingConfig(environment: Environment): OnboardingConfig {
  const settings = parseEnvironment(onboardingEnvironment, environment);
  return {
    selfServicePolicyArn: settings.SELF_SERVICE_POLICY_ARN,
    permissionsBoundaryArn: settings.PERMISSIONS_BOUNDARY_ARN,
    userPath: settings.USER_PATH ?? DEFAULT_USER_PATH,
    allowedGroups: settings.ALLOWED_GROUPS ?? [],
    allowedTagKeys: settings.ALLOWED_TAG_KEYS ?? [],
    exemptTag: settings.EXEMPT_TAG ?? DEFAULT_EXEMPT_TAG,
    eventBusName: settings.EVENT_BUS_NAME ?? DEFAULT_EVENT_BUS_NAME,
  };
}
