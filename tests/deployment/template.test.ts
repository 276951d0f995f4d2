// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript.
// The CloudFormation template `serverless package` writes, with the defaults and with every deployment
// parameter set: what a reviewer of the stack would check, checked on what would be deployed.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionBundle, measureColdStarts, unzipFunctions } from '../../scripts/bench/bundle-timing.ts';
import { consoleAccessMetricValues } from '../../shared/console-access/run-metrics.ts';
import { countPasswords } from '../../shared/console-access/summary.ts';
import type { ConsoleAccessSummary } from '../../shared/console-access/types.ts';
import { keyRunMetricValues } from '../../shared/key-enforcement/run-metrics.ts';
import { countKeys } from '../../shared/key-enforcement/summary.ts';
import type { KeyEnforcementSummary } from '../../shared/key-enforcement/types.ts';
import { FUNCTIONS, ORG_FUNCTIONS, type PolicyStatement, readPolicy } from '../helpers/deployment.ts';
import { SUBSTITUTIONS, shippedDefinition, stateMachineModule } from '../helpers/org-state-machine.ts';
import { type CfnResource, type CfnTemplate, packageStack } from '../helpers/packaged-template.ts';
import { evaluate, type Statement } from '../helpers/policy-evaluator.ts';

// The one stage parameter without a default: which groups new users may join is each deployer's choice.
const REQUIRED = { allowedGroups: 'developers' };
const CONFIGURED = {
  keySchedule: 'cron(15 2 ? * MON-FRI *)',
  passwordPolicySchedule: 'rate(12 hours)',
  consoleAccessSchedule: 'cron(45 2 ? * * *)',
  scheduleTimezone: 'Europe/Berlin',
  alarmEmail: 'security-alarms@corp.example',
  permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/developer-boundary',
  senderEmail: 'key-hygiene@corp.example',
  allowedGroups: 'developers,analysts',
  allowedTagKeys: 'team,cost center',
  userPath: '/people/',
  chatTopicArn: 'arn:aws:sns:eu-west-1:123456789012:security-alerts',
  organizationMode: 'true',
  orgMemberRoleName: 'kh-member',
  orgMaxConcurrency: '25',
  orgMaxActions: '500',
};

interface PolicyDocument {
  Statement: (PolicyStatement & { Principal?: unknown })[];
}
interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: PolicyDocument;
}

const DEFAULT_SCHEDULES: Record<string, string> = {
  enforceKeys: 'cron(0 3 * * ? *)',
  enforceConsoleAccess: 'cron(15 3 * * ? *)',
  enforcePasswordPolicy: 'cron(30 3 * * ? *)',
};

/** The default template as single-account mode deploys it: without the resources IsOrganizationMode holds back. */
let defaults: CfnTemplate;
let defaultsWithConditions: CfnTemplate;
let configured: CfnTemplate;

const ORGANIZATION_CONDITION = 'IsOrganizationMode';
const withoutOrganization = (template: CfnTemplate): CfnTemplate => ({
  ...template,
  Resources: Object.fromEntries(
    Object.entries(template.Resources).filter(([, entry]) => entry.Condition !== ORGANIZATION_CONDITION),
  ),
});
/** The function packages of the default stack, unzipped. */
let bundles: FunctionBundle[];
const templatePaths: string[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  // One after the other: serverless-esbuild builds in the repository's .esbuild directory.
  for (const [params, assign] of [
    [
      REQUIRED,
      (template: CfnTemplate) => {
        defaultsWithConditions = template;
        defaults = withoutOrganization(template);
      },
    ],
    [CONFIGURED, (template: CfnTemplate) => (configured = template)],
  ] as const) {
    const packaged = await packageStack(params);
    assign(packaged.template);
    templatePaths.push(packaged.path);
    cleanups.push(packaged.cleanup);
    bundles ??= await unzipFunctions(packaged.dir, join(packaged.dir, 'unzipped'));
  }
});

afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

const resource = (template: CfnTemplate, logicalId: string): CfnResource => {
  const found = template.Resources[logicalId];
  if (found === undefined) throw new Error(`the template has no ${logicalId}`);
  return found;
};
const ofType = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, entry]) => entry.Type === type);
const functionId = (name: string) => `${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`;
const inlinePolicies = (role: CfnResource) => role.Properties.Policies as InlinePolicy[];
const environmentOf = (template: CfnTemplate, name: string) =>
  (resource(template, functionId(name)).Properties.Environment as { Variables: Record<string, unknown> })
    .Variables;
const statementsOf = (template: CfnTemplate, role: string) =>
  inlinePolicies(resource(template, role))[0]?.PolicyDocument.Statement ?? [];
const THE_CHAT_TOPIC = { 'Fn::If': ['CreatesChatTopic', { Ref: 'ChatTopic' }, { Ref: 'ChatTopicArn' }] };
const onboardUserEnvironment = (template: CfnTemplate) =>
  (
    resource(template, 'OnboardUserLambdaFunction').Properties.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;
const trustedServices = (role: CfnResource) =>
  (role.Properties.AssumeRolePolicyDocument as PolicyDocument).Statement.map((entry) => entry.Principal);

describe('packaging', () => {
  it('fails without allowedGroups, naming it: no deployment lets onboardUser put users in any group', async () => {
    await expect(packageStack({})).rejects.toThrow(/Stage parameter allowedGroups: "" is not valid/);
  });

  it('fails on a chatTopicArn that is not a standard SNS topic ARN, naming it', async () => {
    await expect(packageStack({ ...REQUIRED, chatTopicArn: 'security-alerts' })).rejects.toThrow(
      /Stage parameter chatTopicArn: "security-alerts" is not valid/,
    );
  });
});

describe('the packaged template (defaults, allowedGroups set)', () => {
  it('gives every function its own role, and osls creates no shared one', () => {
    expect(Object.keys(defaults.Resources)).not.toContain('IamRoleLambdaExecution');
    for (const fn of FUNCTIONS) {
      expect(resource(defaults, functionId(fn.name)).Properties.Role).toEqual({
        'Fn::Sub': `\${${fn.role}.Arn}`,
      });
      expect(trustedServices(resource(defaults, fn.role))).toEqual([{ Service: 'lambda.amazonaws.com' }]);
    }
    expect(new Set(FUNCTIONS.map((fn) => fn.role)).size).toBe(FUNCTIONS.length);
  });

  it("puts each function's policy document, statement by statement, into its role", () => {
    for (const fn of FUNCTIONS) {
      const [inline, ...others] = inlinePolicies(resource(defaults, fn.role));

      expect(others).toEqual([]);
      const deployed = inline?.PolicyDocument.Statement.map(({ Sid, Effect, Action }) => ({
        Sid,
        Effect,
        Action,
      }));
      expect(deployed).toEqual(
        readPolicy(fn.policy).Statement.map(({ Sid, Effect, Action }) => ({ Sid, Effect, Action })),
      );
    }
  });

  it('holds no IAM role or policy but the functions’, the schedulers’ and the self-service one', () => {
    expect(
      ofType(defaults, 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual(
      [
        ...FUNCTIONS.map((fn) => fn.role),
        'EnforceKeysSchedulerRole',
        'EnforceConsoleAccessSchedulerRole',
        'EnforcePasswordPolicySchedulerRole',
      ].sort(),
    );
    expect(ofType(defaults, 'AWS::IAM::ManagedPolicy').map(([id]) => id)).toEqual(['SelfServicePolicy']);
    expect(ofType(defaults, 'AWS::IAM::Policy')).toEqual([]);
  });

  it('grants no wildcard action anywhere', () => {
    const documents = [
      ...ofType(defaults, 'AWS::IAM::Role').flatMap(([, role]) =>
        inlinePolicies(role).map((p) => p.PolicyDocument),
      ),
      ...ofType(defaults, 'AWS::IAM::ManagedPolicy').map(
        ([, policy]) => policy.Properties.PolicyDocument as PolicyDocument,
      ),
    ];

    const actions = documents.flatMap((document) =>
      document.Statement.flatMap((entry) => [entry.Action ?? entry.NotAction ?? []].flat()),
    );
    expect(actions.length).toBeGreaterThan(40);
    for (const action of actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
  });

  it.each(FUNCTIONS.filter((fn) => fn.scheduled))(
    'schedules $name with EventBridge Scheduler in UTC, through a role that may invoke it alone',
    (fn) => {
      const schedulerRole = fn.role.replace(/Role$/, 'SchedulerRole');
      const schedule = resource(
        defaults,
        `${functionId(fn.name).replace('LambdaFunction', '')}SchedulerSchedule1`,
      );

      expect(schedule.Type).toBe('AWS::Scheduler::Schedule');
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: DEFAULT_SCHEDULES[fn.name],
        ScheduleExpressionTimezone: 'UTC',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': [functionId(fn.name), 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [schedulerRole, 'Arn'] },
          Input: '{}',
        },
      });
      const role = resource(defaults, schedulerRole);
      expect(role.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      });
      expect(inlinePolicies(role).map((policy) => policy.PolicyDocument.Statement)).toEqual([
        [
          {
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: { 'Fn::GetAtt': [functionId(fn.name), 'Arn'] },
          },
        ],
      ]);
    },
  );

  it('schedules nothing else: no onboardUser schedule, no EventBridge rule', () => {
    expect(ofType(defaults, 'AWS::Scheduler::Schedule')).toHaveLength(3);
    expect(ofType(defaults, 'AWS::Events::Rule')).toEqual([]);
    expect(JSON.stringify(ofType(defaults, 'AWS::Scheduler::Schedule'))).not.toContain('OnboardUser');
  });

  it.each(FUNCTIONS)('configures the asynchronous invocation of $name', (fn) => {
    const config = resource(defaults, functionId(fn.name).replace('LambdaFunction', 'LambdaEvConf'));

    if (fn.scheduled) {
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 10800,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedRunsQueue', 'Arn'] } } },
      });
    } else {
      expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 0, DestinationConfig: {} });
    }
  });

  it('keeps failed runs 14 days in an encrypted queue', () => {
    expect(resource(defaults, 'FailedRunsQueue').Properties).toEqual({
      QueueName: 'key-hygiene-prod-failed-runs',
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    });
  });

  it('alarms the topic on errors of each scheduled function, on failed runs and on guard trips', () => {
    const alarms = Object.fromEntries(ofType(defaults, 'AWS::CloudWatch::Alarm'));

    expect(Object.keys(alarms).sort()).toEqual(
      [
        'EnforceKeysErrorsAlarm',
        'EnforceConsoleAccessErrorsAlarm',
        'EnforcePasswordPolicyErrorsAlarm',
        'FailedRunsAlarm',
        'GuardTripsAlarm',
      ].sort(),
    );
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    for (const fn of FUNCTIONS.filter((entry) => entry.scheduled)) {
      const id = `${functionId(fn.name).replace('LambdaFunction', '')}ErrorsAlarm`;
      expect(alarms[id]?.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(fn.name) } }],
      });
    }
    expect(alarms.FailedRunsAlarm?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['FailedRunsQueue', 'QueueName'] } }],
    });
  });

  it('watches the GuardTrips metric enforceKeys and enforceConsoleAccess write, under its namespace and service', () => {
    const guard = resource(defaults, 'GuardTripsAlarm').Properties;
    const written = keyRunMetricValues({
      keys: [],
      counts: countKeys([], 0),
      failures: [],
      findings: [],
      guard: { tripped: true },
      notifications: { owners: [], chat: { posted: 0, failed: [] } },
    } as unknown as KeyEnforcementSummary);

    expect(written[guard.MetricName as string]).toBe(1);
    const consoleWritten = consoleAccessMetricValues({
      counts: countPasswords([], { mfa: [], idle: [] }, 0),
      guard: { tripped: true },
    } as unknown as ConsoleAccessSummary);
    expect(consoleWritten[guard.MetricName as string]).toBe(1);
    expect(guard).toMatchObject({
      Namespace: 'KeyHygiene',
      Dimensions: [{ Name: 'service', Value: 'key-hygiene' }],
    });
  });

  it('subscribes no one to the alarm topic when alarmEmail is unset, through a condition', () => {
    expect(defaults.Parameters.AlarmEmail?.Default).toBe('');
    expect(defaults.Conditions.HasAlarmEmail).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }],
    });
    expect(resource(defaults, 'AlarmEmailSubscription')).toMatchObject({
      Condition: 'HasAlarmEmail',
      Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } },
    });
    expect(ofType(defaults, 'AWS::SNS::Subscription')).toHaveLength(1);
  });

  it('creates the chat topic when chatTopicArn is unset, encrypted with the AWS-managed SNS key, and outputs its ARN', () => {
    expect(defaults.Parameters.ChatTopicArn?.Default).toBe('');
    expect(defaults.Conditions.CreatesChatTopic).toEqual({ 'Fn::Equals': [{ Ref: 'ChatTopicArn' }, ''] });
    expect(resource(defaults, 'ChatTopic')).toEqual({
      Type: 'AWS::SNS::Topic',
      Condition: 'CreatesChatTopic',
      Properties: {
        TopicName: 'key-hygiene-prod-notifications',
        DisplayName: 'key-hygiene',
        KmsMasterKeyId: 'alias/aws/sns',
      },
    });
    expect(defaults.Outputs.ChatNotificationsTopicArn?.Value).toEqual(THE_CHAT_TOPIC);
  });

  it('lets this account subscribe to the chat topic and no one but the scheduled functions publish to it', () => {
    const policy = resource(defaults, 'ChatTopicPolicy');

    expect(policy.Condition).toBe('CreatesChatTopic');
    expect(policy.Properties.Topics).toEqual([{ Ref: 'ChatTopic' }]);
    expect((policy.Properties.PolicyDocument as PolicyDocument).Statement).toEqual([
      {
        Sid: 'ThisAccountSubscribes',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
        Action: ['sns:Subscribe', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic'],
        Resource: { Ref: 'ChatTopic' },
      },
      {
        Sid: 'OnlyKeyHygienePublishes',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: 'ChatTopic' },
        Condition: {
          ArnNotEquals: {
            'aws:PrincipalArn': [
              { 'Fn::GetAtt': ['EnforceKeysRole', 'Arn'] },
              { 'Fn::GetAtt': ['EnforcePasswordPolicyRole', 'Arn'] },
            ],
          },
        },
      },
    ]);
  });

  it('denies a publish by anyone but the scheduled functions, an administrator included, as IAM would read it', () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:key-hygiene-prod-notifications';
    const roleArn = (logicalId: string) =>
      `arn:aws:iam::123456789012:role/key-hygiene-prod-${logicalId}-1A2B3C`;
    // The document with the stack's references filled in as CloudFormation would.
    const statements = JSON.parse(
      JSON.stringify(
        (resource(defaults, 'ChatTopicPolicy').Properties.PolicyDocument as PolicyDocument).Statement,
      ),
      (_key, value) => {
        if (value?.Ref === 'ChatTopic') return topic;
        if (Array.isArray(value?.['Fn::GetAtt'])) return roleArn(value['Fn::GetAtt'][0]);
        return value;
      },
    ) as Statement[];
    const publishAs = (principal: string) =>
      evaluate(statements, {
        action: 'sns:Publish',
        resource: topic,
        context: { 'aws:PrincipalArn': principal },
      });

    // Not denied: their own roles' policies grant the publish.
    expect(publishAs(roleArn('EnforceKeysRole'))).toBe('not allowed');
    expect(publishAs(roleArn('EnforcePasswordPolicyRole'))).toBe('not allowed');
    expect(publishAs(roleArn('OnboardUserRole'))).toBe('denied');
    expect(publishAs('arn:aws:iam::123456789012:role/Administrator')).toBe('denied');
    expect(publishAs('arn:aws:iam::210987654321:root')).toBe('denied');
    expect(evaluate(statements, { action: 'sns:Subscribe', resource: topic })).toBe('allowed');
  });

  it('gives the functions that post to chat the chat topic as CHAT_TOPIC_ARN and sns:Publish on it alone', () => {
    // enforceConsoleAccess posts no chat message (yet): it holds no SNS action.
    const posts = (name: string) => ['enforceKeys', 'enforcePasswordPolicy'].includes(name);
    for (const fn of FUNCTIONS.filter((entry) => posts(entry.name))) {
      expect(environmentOf(defaults, fn.name).CHAT_TOPIC_ARN).toEqual({ Ref: 'ChatTopic' });
      const publish = statementsOf(defaults, fn.role).filter((entry) =>
        entry.Action.some((action) => action.startsWith('sns:')),
      );
      expect(publish).toEqual([
        { Sid: 'PostToTheChatTopic', Effect: 'Allow', Action: ['sns:Publish'], Resource: THE_CHAT_TOPIC },
      ]);
    }
    for (const fn of FUNCTIONS.filter((entry) => !posts(entry.name))) {
      expect(JSON.stringify(statementsOf(defaults, fn.role))).not.toContain('sns:');
      expect(environmentOf(defaults, fn.name)).not.toHaveProperty('CHAT_TOPIC_ARN');
    }
  });

  it('keeps every function’s logs 90 days', () => {
    const logGroups = ofType(defaults, 'AWS::Logs::LogGroup');

    expect(logGroups).toHaveLength(FUNCTIONS.length);
    for (const [, group] of logGroups) expect(group.Properties.RetentionInDays).toBe(90);
  });

  it('lets onboardUser act only on users under /key-hygiene/ and on the allowed group, never on all', () => {
    const statements =
      inlinePolicies(resource(defaults, 'OnboardUserRole'))[0]?.PolicyDocument.Statement ?? [];
    const resourcesOf = (action: string) =>
      JSON.stringify(
        statements
          .filter((entry) => entry.Effect === 'Allow' && entry.Action.includes(action))
          .map((entry) => entry.Resource),
      );
    const group = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:group';

    for (const action of [
      'iam:CreateLoginProfile',
      'iam:DeleteUser',
      'iam:AttachUserPolicy',
      'iam:TagUser',
    ]) {
      expect(resourcesOf(action)).toBe(
        JSON.stringify([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/key-hygiene/*' }]),
      );
    }
    expect(resourcesOf('iam:AddUserToGroup')).toBe(
      JSON.stringify([[{ 'Fn::Sub': `${group}/developers` }, { 'Fn::Sub': `${group}/*/developers` }]]),
    );
  });

  it('gives the role and the function one permissions boundary: the stage parameter', () => {
    const create = inlinePolicies(resource(defaults, 'OnboardUserRole'))[0]?.PolicyDocument.Statement.find(
      (entry) => entry.Effect === 'Allow' && entry.Action.includes('iam:CreateUser'),
    );

    expect(defaults.Parameters.PermissionsBoundaryArn?.Default).toBe('');
    expect(defaults.Conditions.HasPermissionsBoundary).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'PermissionsBoundaryArn' }, ''] }],
    });
    expect(JSON.stringify(create?.Condition)).toContain(
      '"iam:PermissionsBoundary":{"Ref":"PermissionsBoundaryArn"}',
    );
    // The function has the value itself, not a Ref to the stack parameter: `invoke local` cannot resolve one.
    expect(onboardUserEnvironment(defaults).PERMISSIONS_BOUNDARY_ARN).toBe('');
  });
});

describe('the function packages', () => {
  it.each(FUNCTIONS)('hold $name as an ES module named .js, which Node loads as Lambda does', async (fn) => {
    const bundle = bundles.find((entry) => entry.name === fn.name);
    if (bundle === undefined) throw new Error(`serverless package wrote no package for ${fn.name}`);
    const handlerModule = fn.handler.replace(/\.ts$/, '.js');

    // `<handler>.js` is the one name both Lambda and `serverless invoke local` find; the package.json beside
    // it makes Node read it as the ES module it is.
    expect(bundle.files.map((file) => file.path).sort()).toEqual(
      [handlerModule, `${handlerModule}.map`, 'functions/package.json'].sort(),
    );
    const marker = readFileSync(join(dirname(bundle.entry), 'package.json'), 'utf8');
    expect(JSON.parse(marker)).toEqual({ type: 'module' });
    // A fresh Node process imports it and finds the handler (it throws otherwise).
    await expect(measureColdStarts(bundle.entry, 1)).resolves.toMatchObject({ repetitions: 1 });
  });
});

describe('the packaged template (every deployment parameter set)', () => {
  it('reads every schedule in the configured time zone', () => {
    expect(resource(configured, 'EnforceConsoleAccessSchedulerSchedule1').Properties).toMatchObject({
      ScheduleExpression: CONFIGURED.consoleAccessSchedule,
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    expect(resource(configured, 'EnforceKeysSchedulerSchedule1').Properties).toMatchObject({
      ScheduleExpression: CONFIGURED.keySchedule,
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    expect(resource(configured, 'EnforcePasswordPolicySchedulerSchedule1').Properties).toMatchObject({
      ScheduleExpression: CONFIGURED.passwordPolicySchedule,
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });

  it('subscribes alarmEmail and requires the configured boundary, of the role and the function', () => {
    expect(configured.Parameters.AlarmEmail?.Default).toBe(CONFIGURED.alarmEmail);
    expect(configured.Parameters.PermissionsBoundaryArn?.Default).toBe(CONFIGURED.permissionsBoundaryArn);
    expect(onboardUserEnvironment(configured).PERMISSIONS_BOUNDARY_ARN).toBe(
      CONFIGURED.permissionsBoundaryArn,
    );
  });

  it('posts to the chatTopicArn given: CHAT_TOPIC_ARN names it, and the condition creates no topic of its own', () => {
    expect(configured.Parameters.ChatTopicArn?.Default).toBe(CONFIGURED.chatTopicArn);
    expect(environmentOf(configured, 'enforceKeys').CHAT_TOPIC_ARN).toBe(CONFIGURED.chatTopicArn);
    expect(environmentOf(configured, 'enforcePasswordPolicy').CHAT_TOPIC_ARN).toBe(CONFIGURED.chatTopicArn);
    expect(resource(configured, 'ChatTopic').Condition).toBe('CreatesChatTopic');
    expect(configured.Outputs.ChatNotificationsTopicArn?.Value).toEqual(THE_CHAT_TOPIC);
  });

  it('acts on users under userPath and sets the email tag, its own and the allowed tag keys', () => {
    const statements =
      inlinePolicies(resource(configured, 'OnboardUserRole'))[0]?.PolicyDocument.Statement ?? [];
    const create = statements.find((entry) => entry.Action.includes('iam:CreateUser'));

    expect(create?.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/people/*',
    });
    expect(JSON.stringify(create?.Condition)).toContain(
      JSON.stringify({
        'aws:TagKeys': ['email', 'key-hygiene:onboarded', 'key-hygiene:onboarded-by', 'team', 'cost center'],
      }),
    );
  });

  it('scopes mail to the sender and group changes to the allowed groups', () => {
    const statements =
      inlinePolicies(resource(configured, 'OnboardUserRole'))[0]?.PolicyDocument.Statement ?? [];
    const resourceOf = (action: string) =>
      statements.find((entry) => entry.Action.includes(action))?.Resource;
    const identity = 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity';
    const group = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:group';

    expect(resourceOf('ses:SendRawEmail')).toEqual([
      { 'Fn::Sub': `${identity}/key-hygiene@corp.example` },
      { 'Fn::Sub': `${identity}/corp.example` },
    ]);
    expect(resourceOf('iam:AddUserToGroup')).toEqual(
      ['developers', '*/developers', 'analysts', '*/analysts'].map((name) => ({
        'Fn::Sub': `${group}/${name}`,
      })),
    );
  });
});

describe('cfn-lint', () => {
  const cfnLint = (() => {
    try {
      execFileSync('cfn-lint', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // Asynchronously: a lint that blocks the worker for long on a busy machine times out vitest's own calls.
  it.runIf(cfnLint)('finds nothing in either template', async () => {
    for (const path of templatePaths) {
      await expect(promisify(execFile)('cfn-lint', [path]), path).resolves.toMatchObject({ stdout: '' });
    }
    expect(templatePaths).toHaveLength(2);
  });
});

describe('the packaged template (organization mode)', () => {
  const orgResource = (logicalId: string) => resource(configured, logicalId);

  it('creates nothing of the organization run by default: every such resource waits for IsOrganizationMode', () => {
    const held = Object.entries(defaultsWithConditions.Resources).filter(
      ([, entry]) => entry.Condition === ORGANIZATION_CONDITION,
    );

    expect(defaultsWithConditions.Parameters.OrganizationMode?.Default).toBe('false');
    expect(defaultsWithConditions.Conditions.IsOrganizationMode).toEqual({
      'Fn::Equals': [{ Ref: 'OrganizationMode' }, 'true'],
    });
    const ids = held.map(([id]) => id);
    for (const id of ['OrgStateMachine', 'OrgResultsBucket', 'OrgNightSchedule', 'OrgStateMachineRole']) {
      expect(ids).toContain(id);
    }
    for (const fn of ORG_FUNCTIONS) {
      const prefix = `${fn.name[0]?.toUpperCase()}${fn.name.slice(1)}`;
      for (const id of Object.keys(defaultsWithConditions.Resources).filter((key) =>
        key.startsWith(prefix),
      )) {
        expect(ids, id).toContain(id);
      }
    }
    // Nothing of the single-account stack refers to them.
    expect(JSON.stringify(defaults.Resources)).not.toMatch(/"Org[A-Z]/);
  });

  it('turns them on with organizationMode=true', () => {
    expect(configured.Parameters.OrganizationMode?.Default).toBe('true');
  });

  it('deploys the state machine osls built from deploy/org-state-machine.cfn.cjs, with the stage’s concurrency', async () => {
    const machine = orgResource('OrgStateMachine').Properties;

    expect(machine.Definition).toEqual(
      await shippedDefinition({ orgMaxConcurrency: '25', orgMaxActions: '500' }),
    );
    expect(
      (machine.Definition as { States: Record<string, { MaxConcurrency?: number }> }).States.EnforceAccounts
        ?.MaxConcurrency,
    ).toBe(25);
    expect(machine).toMatchObject({
      StateMachineName: 'key-hygiene-prod-organization',
      StateMachineType: 'STANDARD',
      RoleArn: { 'Fn::GetAtt': ['OrgStateMachineRole', 'Arn'] },
    });
  });

  it('fills every placeholder of the definition (with orgMaxActions set, all of them), with the functions and the results bucket', () => {
    const machine = orgResource('OrgStateMachine').Properties;
    const placeholders = [...JSON.stringify(machine.Definition).matchAll(/\$\{(\w+)\}/g)].map(
      (match) => match[1],
    );

    expect([...new Set(placeholders)].sort()).toEqual([...SUBSTITUTIONS].sort());
    expect(machine.DefinitionSubstitutions).toEqual({
      OrgListAccountsArn: { 'Fn::GetAtt': ['OrgListAccountsLambdaFunction', 'Arn'] },
      OrgEnforceAccountArn: { 'Fn::GetAtt': ['OrgEnforceAccountLambdaFunction', 'Arn'] },
      OrgDigestArn: { 'Fn::GetAtt': ['OrgDigestLambdaFunction', 'Arn'] },
      OrgCheckGuardArn: { 'Fn::GetAtt': ['OrgCheckGuardLambdaFunction', 'Arn'] },
      ResultsBucket: { Ref: 'OrgResultsBucket' },
    });
  });

  it('waits longer for a worker than the worker may run, so a retry never overlaps it', () => {
    const worker = orgResource('OrgEnforceAccountLambdaFunction').Properties;
    const definition = orgResource('OrgStateMachine').Properties.Definition as {
      States: {
        EnforceAccounts: { ItemProcessor: { States: { EnforceAccount: { TimeoutSeconds: number } } } };
      };
    };

    expect(worker.Timeout).toBe(stateMachineModule.WORKER_TIMEOUT_SECONDS);
    expect(definition.States.EnforceAccounts.ItemProcessor.States.EnforceAccount.TimeoutSeconds).toBe(
      (worker.Timeout as number) + stateMachineModule.WORKER_TASK_MARGIN_SECONDS,
    );
  });

  it('starts the night on keySchedule in the time zone, through a role that may invoke the starter alone', () => {
    expect(orgResource('OrgNightSchedule').Properties).toMatchObject({
      ScheduleExpression: CONFIGURED.keySchedule,
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': ['OrgStartNightLambdaFunction', 'Arn'] },
        RoleArn: { 'Fn::GetAtt': ['OrgNightSchedulerRole', 'Arn'] },
        Input: '{"scheduledTime": "<aws.scheduler.scheduled-time>"}',
      },
    });
    expect(
      inlinePolicies(orgResource('OrgNightSchedulerRole')).map((policy) => policy.PolicyDocument.Statement),
    ).toEqual([
      [
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': ['OrgStartNightLambdaFunction', 'Arn'] },
        },
      ],
    ]);
  });

  it('lets Step Functions alone assume the state machine role, from this account only', () => {
    expect(orgResource('OrgStateMachineRole').Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
  });

  it('gives the worker the stage’s member role name and the results bucket', () => {
    const statements =
      inlinePolicies(orgResource('OrgEnforceAccountRole'))[0]?.PolicyDocument.Statement ?? [];
    const variables = (
      orgResource('OrgEnforceAccountLambdaFunction').Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

    expect(statements.find((entry) => entry.Action.includes('sts:AssumeRole'))?.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/kh-member',
    });
    expect(variables).toMatchObject({
      ORG_MEMBER_ROLE_NAME: 'kh-member',
      ORG_RESULTS_BUCKET: { Ref: 'OrgResultsBucket' },
    });
  });

  it('keeps the results private, encrypted, on TLS only, and 30 days', () => {
    const bucket = orgResource('OrgResultsBucket').Properties;

    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.LifecycleConfiguration)).toContain('"ExpirationInDays":30');
    expect(JSON.stringify(orgResource('OrgResultsBucketPolicy').Properties)).toContain(
      '"aws:SecureTransport":"false"',
    );
  });

  it('alarms the topic when a night fails, times out or is stopped, and when the starter fails', () => {
    const failed = orgResource('OrgExecutionsFailedAlarm').Properties;
    const metrics = (
      failed.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } } }[]
    ).flatMap((metric) => (metric.MetricStat === undefined ? [] : [metric.MetricStat.Metric]));

    expect(metrics.map((metric) => metric.MetricName).sort()).toEqual(
      ['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut'].sort(),
    );
    for (const metric of metrics) {
      expect(metric.Dimensions).toEqual([{ Name: 'StateMachineArn', Value: { Ref: 'OrgStateMachine' } }]);
    }
    for (const alarm of [failed, orgResource('OrgStartNightErrorsAlarm').Properties]) {
      expect(alarm).toMatchObject({
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });
});
