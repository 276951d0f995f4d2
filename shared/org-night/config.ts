import { z } from 'zod';
import { type Environment, flag, parseEnvironment, unsetWhenEmpty } from '../kernel/index.ts';

export interface OrgNightConfig {
  /** The organization state machine the starter starts. */
  stateMachineArn: string;
  /** The IANA time zone the schedule is read in (SCHEDULE_TIMEZONE): which date a night is. */
  timeZone: string;
  dryRun: boolean;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const orgNightEnvironment = z.object({
  ORG_STATE_MACHINE_ARN: z.preprocess(
    unsetWhenEmpty,
    z
      .string({ message: 'is required: the ARN of the organization state machine' })
      .regex(STATE_MACHINE_ARN, { message: 'must be a state machine ARN' }),
  ),
  SCHEDULE_TIMEZONE: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. UTC or Europe/Berlin' })
      .optional(),
  ),
  DRY_RUN: flag,
});

/**
 * Reads the starter's settings.
 * @throws {ConfigError} naming the malformed variable.
 */
export function loadOrgNightConfig(environment: Environment): OrgNightConfig {
  const settings = parseEnvironment(orgNightEnvironment, environment);
  return {
    stateMachineArn: settings.ORG_STATE_MACHINE_ARN,
    timeZone: settings.SCHEDULE_TIMEZONE ?? 'UTC',
    dryRun: settings.DRY_RUN === 'true',
  };
}
