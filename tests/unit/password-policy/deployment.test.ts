import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENTBRIDGE_ACTIONS } from '../../../shared/audit/publish-audit-events.ts';
import { MAIL_SES_ACTIONS } from '../../../shared/notify/mailer.ts';
import { PASSWORD_POLICY_IAM_ACTIONS } from '../../../shared/password-policy/iam-password-policy.ts';

const repoFile = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

interface Statement {
  Sid: string;
  Action: string[];
  Resource: unknown;
  Condition?: unknown;
}

/** How serverless.yml and the policy files refer to a stage parameter. */
const paramRef = (name: string) => `\${param:${name}}`;

const statements: Statement[] = JSON.parse(repoFile('policies/enforce-password-policy.json')).Statement;

// Every setting the function reads, and the stage parameter that feeds it.
const SETTINGS: [variable: string, param: string][] = [
  ['PASSWORD_MIN_LENGTH', 'passwordMinLength'],
  ['PASSWORD_MAX_AGE_DAYS', 'passwordMaxAgeDays'],
  ['PASSWORD_REUSE_PREVENTION', 'passwordReusePrevention'],
  ['PASSWORD_REQUIRE_SYMBOLS', 'passwordRequireSymbols'],
  ['PASSWORD_REQUIRE_NUMBERS', 'passwordRequireNumbers'],
  ['PASSWORD_REQUIRE_UPPERCASE', 'passwordRequireUppercase'],
  ['PASSWORD_REQUIRE_LOWERCASE', 'passwordRequireLowercase'],
  ['PASSWORD_ALLOW_USERS_TO_CHANGE', 'passwordAllowUsersToChange'],
  ['PASSWORD_HARD_EXPIRY', 'passwordHardExpiry'],
  ['DRY_RUN', 'dryRun'],
  ['EVENT_BUS_NAME', 'eventBusName'],
  ['SENDER_EMAIL', 'senderEmail'],
  ['SECURITY_TEAM_EMAILS', 'securityTeamEmails'],
  ['MAIL_MAX_PER_SECOND', 'mailMaxPerSecond'],
];

describe('the enforcePasswordPolicy deployment', () => {
  it('grants exactly the actions its adapters declare, plus writing its own logs', () => {
    const granted = statements.flatMap((statement) => statement.Action).sort();

    expect(granted).toEqual(
      [
        ...PASSWORD_POLICY_IAM_ACTIONS,
        ...MAIL_SES_ACTIONS,
        ...AUDIT_EVENTBRIDGE_ACTIONS,
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ].sort(),
    );
  });

  it('scopes mail to the sender address, events to the bus and logs to its own log group', () => {
    const resourceOf = (action: string) =>
      JSON.stringify(statements.find((statement) => statement.Action.includes(action))?.Resource);

    const mail = statements.find((statement) => statement.Action.includes('ses:SendRawEmail'));
    expect(mail?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': paramRef('senderEmail') } });
    expect(resourceOf('events:PutEvents')).toContain(`:event-bus/${paramRef('eventBusName')}`);
    expect(resourceOf('logs:PutLogEvents')).toBe('{"Fn::GetAtt":["EnforcePasswordPolicyLogGroup","Arn"]}');
  });

  it.each(SETTINGS)('passes %s from the stage parameter %s', (variable, param) => {
    const serverless = repoFile('serverless.yml');
    const functionBlock = serverless.slice(serverless.indexOf('  enforcePasswordPolicy:'));

    expect(functionBlock).toContain(`      ${variable}: ${paramRef(param)}\n`);
    expect(serverless).toMatch(new RegExp(`\\n    ${param}: `));
  });

  it.each(SETTINGS)('documents %s in the README settings table', (variable, param) => {
    expect(repoFile('README.md')).toContain(`| \`${variable}\` | \`${param}\` |`);
  });
});
