// Stage parameters that CloudFormation would reject only halfway through a deploy (or never), checked when
// osls packages, so `serverless package` and CI fail first, naming the parameter. Referenced from
// serverless.yml as `${file(deploy/stage-params.cfn.cjs):<export>}`; each returns the value to use.

class StageParamError extends Error {
  constructor(param, value, expected) {
    super(`Stage parameter ${param}: ${JSON.stringify(value)} is not valid: must be ${expected}`);
    this.name = 'StageParamError';
  }
}

const param = async (resolveVariable, name) => String(await resolveVariable(`param:${name}`)).trim();

// An IANA name (Area/Location, or UTC): newer Node versions also take offsets like +02:00, Scheduler does not.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

function isTimeZone(value) {
  if (!IANA_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** SCHEDULE_TIMEZONE: the IANA time zone the schedules' cron expressions are read in. */
async function scheduleTimezone({ resolveVariable }) {
  const value = await param(resolveVariable, 'scheduleTimezone');
  if (!isTimeZone(value))
    throw new StageParamError('scheduleTimezone', value, 'an IANA time zone, e.g. UTC or Europe/Berlin');
  return value;
}

// One address: an SNS email subscription takes exactly one endpoint.
const ONE_ADDRESS = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>".]+$/;

/** The one address alarms are mailed to, or '' for none (the stack then subscribes nobody). */
async function alarmEmail({ resolveVariable }) {
  const value = await param(resolveVariable, 'alarmEmail');
  if (value !== '' && !ONE_ADDRESS.test(value)) {
    throw new StageParamError('alarmEmail', value, "one email address (a team list), or '' for none");
  }
  return value;
}

// The same grammar shared/chat/config.ts holds CHAT_TOPIC_ARN to at cold start: a standard topic's ARN.
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** An existing SNS topic chat messages go to, or '' for the stack's own (ChatTopic). */
async function existingChatTopicArn({ resolveVariable }) {
  const value = await param(resolveVariable, 'chatTopicArn');
  if (value !== '' && !TOPIC_ARN.test(value)) {
    throw new StageParamError(
      'chatTopicArn',
      value,
      "the ARN of an existing standard SNS topic (not FIFO), or '' for the stack to create one",
    );
  }
  return value;
}

/** CHAT_TOPIC_ARN: the chatTopicArn given, or the stack's ChatTopic (a Ref that `invoke local` can read). */
async function chatTopicArn(osls) {
  const existing = await existingChatTopicArn(osls);
  return existing === '' ? { Ref: 'ChatTopic' } : existing;
}

// The same grammar shared/onboarding/config.ts holds PERMISSIONS_BOUNDARY_ARN to at cold start.
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/([\x21-\x7E]+\/)?[\w+=,.@-]{1,128}$/;

/** The managed policy every new user gets as permissions boundary, or '' for none. */
async function permissionsBoundaryArn({ resolveVariable }) {
  const value = await param(resolveVariable, 'permissionsBoundaryArn');
  if (value !== '' && !POLICY_ARN.test(value)) {
    throw new StageParamError('permissionsBoundaryArn', value, "a managed policy ARN, or '' for none");
  }
  return value;
}

const list = (value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

// IAM's group name grammar, without the comma that separates the list.
const GROUP_NAME = /^[\w+=.@-]{1,128}$/;

/**
 * The groups onboardUser may add new users to: at least one. The role may add any user to these groups
 * and no other, so an empty list (any group, before) is refused rather than guessed.
 */
async function allowedGroups({ resolveVariable }) {
  const value = await param(resolveVariable, 'allowedGroups');
  const names = list(value);
  if (names.length === 0 || !names.every((name) => GROUP_NAME.test(name))) {
    throw new StageParamError(
      'allowedGroups',
      value,
      'the IAM groups new users may join, comma-separated, at least one (onboardUser can put users in these groups and no other)',
    );
  }
  return names;
}

// The same grammar shared/kernel/iam-names.ts holds tag keys to.
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/**
 * The tag keys an onboarding request may set, or none: never AWS's or the service's own (its prefix, the
 * email tag, the exempt tag), which the role sets itself or must never set.
 */
async function allowedTagKeys({ resolveVariable }) {
  const value = await param(resolveVariable, 'allowedTagKeys');
  const own = [await param(resolveVariable, 'emailTag'), await param(resolveVariable, 'exemptTag')];
  const keys = list(value);
  const bad = (key) =>
    !TAG_KEY.test(key) ||
    /^(aws|key-hygiene):/i.test(key) ||
    own.some((tag) => tag.toLowerCase() === key.toLowerCase());
  if (keys.some(bad)) {
    throw new StageParamError(
      'allowedTagKeys',
      value,
      "comma-separated tag keys, none of them aws:..., key-hygiene:..., emailTag or exemptTag; or '' for none",
    );
  }
  return keys;
}

// The same grammar shared/kernel/iam-names.ts holds paths to.
const IAM_PATH = /^\/([\x21-\x7E]*\/)?$/;

/** The IAM path onboarded users are created under: theirs alone, for the role acts on every user under it. */
async function userPath({ resolveVariable }) {
  const value = await param(resolveVariable, 'userPath');
  if (value === '/' || value.length > 512 || !IAM_PATH.test(value)) {
    throw new StageParamError(
      'userPath',
      value,
      'an IAM path of the onboarded users alone, e.g. /key-hygiene/ (not /: the onboarding role may set passwords on and delete every user under it)',
    );
  }
  return value;
}

/** Whether the organization run is deployed: exactly 'true' or 'false', as the stack parameter allows. */
async function organizationMode({ resolveVariable }) {
  const value = (await param(resolveVariable, 'organizationMode')).toLowerCase();
  if (value !== 'true' && value !== 'false') {
    throw new StageParamError('organizationMode', value, "'true' or 'false'");
  }
  return value;
}

module.exports = {
  scheduleTimezone,
  alarmEmail,
  existingChatTopicArn,
  chatTopicArn,
  permissionsBoundaryArn,
  allowedGroups,
  allowedTagKeys,
  userPath,
  organizationMode,
  StageParamError,
};
