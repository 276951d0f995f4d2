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

module.exports = { scheduleTimezone, alarmEmail, permissionsBoundaryArn, StageParamError };
