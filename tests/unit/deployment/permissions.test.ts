// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders and osls variables, not JavaScript.
// The Cloud Custodian idea: each adapter declares the AWS actions it calls (`*_ACTIONS`, next to its code);
// this test fails when a function's role lacks one its code declares, or grants one that none of its code
// declares. Which code belongs to a function is not listed by hand: it is what esbuild bundles from the
// handler, so a new adapter import brings its actions into the check by itself.
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_SOURCE } from '../../../shared/audit/publish-audit-events.ts';
import { CHAT_SNS_ACTIONS } from '../../../shared/chat/sns-chat.ts';
import { CONSOLE_RECORD_TAG_KEYS } from '../../../shared/console-access/console-records.ts';
import { RECORD_TAG_KEY_PATTERNS } from '../../../shared/key-enforcement/key-records.ts';
import { ONBOARDING_IAM_ACTIONS } from '../../../shared/onboarding/onboarding-iam.ts';
import { CHANGE_PASSWORD_POLICY_NAME, ONBOARDED_TAG } from '../../../shared/onboarding/user-setup.ts';
import {
  ALL_FUNCTIONS,
  bundledModules,
  type DeployedFunction,
  declaredActionsOf,
  FUNCTIONS,
  type PolicyStatement,
  paramRef,
  readPolicy,
  repoFile,
  resourceBlock,
  sentActionsOf,
  sourceFiles,
} from '../../helpers/deployment.ts';

// Granted for the Lambda platform, not called by our code: every function writes its logs; Lambda sends a
// scheduled function's failed asynchronous runs to the on-failure queue with the function's own role.
const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const FAILURE_QUEUE_ACTIONS = ['sqs:SendMessage'];
const platformActions = (fn: DeployedFunction) => [
  ...LOG_ACTIONS,
  ...(fn.scheduled ? FAILURE_QUEUE_ACTIONS : []),
];

// Calls that AWS also authorizes as a second action.
const IMPLIED_ACTIONS: Record<string, string[]> = {
  // CreateUser with Tags is authorized as TagUser too.
  'iam:CreateUser': ['iam:TagUser'],
  // SES v2 SendEmail with Content.Raw (all our mail) is authorized as SendRawEmail too.
  'ses:SendEmail': ['ses:SendRawEmail'],
};

// Actions that name no resource in IAM: the only ones a statement may grant on "*".
const RESOURCELESS_ACTIONS = [
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'iam:GetAccountPasswordPolicy',
  'iam:UpdateAccountPasswordPolicy',
  'iam:ListAccountAliases',
  'iam:ListVirtualMFADevices',
  // Reads the whole account (users, groups, roles, policies); IAM lets no statement scope it to users.
  'iam:GetAccountAuthorizationDetails',
  // Listing the organization: ListAccounts names no resource; the other two name the organization's root
  // and OUs, whose ids (o-..., r-...) no stack parameter knows.
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
];

const USER_ARNS = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*' };
const USERS_UNDER_PATH = '${file(policies/stage-resources.cfn.cjs):onboardedUserArns}';
const ONBOARDING_TAG_KEYS = '${file(policies/stage-resources.cfn.cjs):onboardingTagKeys}';
const SENDER_IDENTITIES = '${file(policies/stage-resources.cfn.cjs):senderIdentityArns}';
const ALLOWED_GROUPS = '${file(policies/stage-resources.cfn.cjs):allowedGroupArns}';

const sorted = (actions: Iterable<string>) => [...new Set(actions)].sort();
const allows = (statements: PolicyStatement[]) => statements.filter((entry) => entry.Effect === 'Allow');
const grantedBy = (fn: DeployedFunction) =>
  sorted(allows(readPolicy(fn.policy).Statement).flatMap((s) => s.Action));

/**
 * The actions every module bundled into the function declares, by module; for the organization worker,
 * without those it makes through the member role (tests/unit/deployment/member-role.test.ts holds those).
 */
async function declarationsOf(fn: DeployedFunction): Promise<Map<string, string[]>> {
  const declarations = new Map<string, string[]>();
  const ownRole = (action: string) => fn.memberActions === undefined || !action.startsWith(fn.memberActions);
  for (const module of await bundledModules(fn.handler)) {
    if (!/export const [A-Z0-9_]+_ACTIONS\b/.test(repoFile(module))) continue;
    const actions = Object.values(await declaredActionsOf(module))
      .flat()
      .filter(ownRole);
    if (actions.length > 0) declarations.set(module, actions);
  }
  return declarations;
}

const statementsOf = (fn: DeployedFunction, action: string) =>
  readPolicy(fn.policy).Statement.filter(
    (entry) => entry.Effect === 'Allow' && entry.Action.includes(action),
  );

/** The one Allow statement of a function's policy that grants `action`. */
function statementFor(fn: DeployedFunction, action: string): PolicyStatement {
  const found = statementsOf(fn, action);
  expect(found, `${fn.policy}: statements granting ${action}`).toHaveLength(1);
  return found[0] as PolicyStatement;
}

const byName = (name: string) => FUNCTIONS.find((fn) => fn.name === name) as DeployedFunction;
const enforceKeys = byName('enforceKeys');
const enforceConsoleAccess = byName('enforceConsoleAccess');
const byOrgName = (name: string) => ALL_FUNCTIONS.find((fn) => fn.name === name) as DeployedFunction;
const onboardUser = byName('onboardUser');

describe.each(ALL_FUNCTIONS)('the $name role', (fn) => {
  it('grants every action its code declares', async () => {
    const declarations = await declarationsOf(fn);
    const granted = grantedBy(fn);

    const missing = [...declarations].flatMap(([module, actions]) =>
      actions.filter((action) => !granted.includes(action)).map((action) => `${action} (${module})`),
    );
    expect(declarations.size).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('grants no action that none of its code declares, beyond its logs and failure queue', async () => {
    const declared = [...(await declarationsOf(fn)).values()].flat();

    const undeclared = grantedBy(fn).filter(
      (action) => !declared.includes(action) && !platformActions(fn).includes(action),
    );
    expect(undeclared).toEqual([]);
  });

  it('grants its logs and failure-queue actions on its own log group and the failed-runs queue only', () => {
    const logicalName = fn.role.replace(/Role$/, '');

    for (const action of LOG_ACTIONS) {
      expect(statementFor(fn, action).Resource).toEqual({ 'Fn::GetAtt': [`${logicalName}LogGroup`, 'Arn'] });
    }
    if (fn.scheduled) {
      expect(statementFor(fn, 'sqs:SendMessage').Resource).toEqual({
        'Fn::GetAtt': ['FailedRunsQueue', 'Arn'],
      });
    } else {
      expect(statementsOf(fn, 'sqs:SendMessage')).toEqual([]);
    }
  });

  it.runIf(fn.mails)('sends mail only as the sender: its identities, and the sender as From address', () => {
    for (const action of ['ses:SendEmail', 'ses:SendRawEmail']) {
      const mail = statementFor(fn, action);

      expect(mail.Resource).toBe(SENDER_IDENTITIES);
      expect(mail.Condition).toEqual({ StringEquals: { 'ses:FromAddress': paramRef('senderEmail') } });
    }
  });

  it.runIf(fn.publishes)('publishes events only to its bus, and only as the key-hygiene source', () => {
    const publish = statementFor(fn, 'events:PutEvents');

    expect(publish.Resource).toEqual({
      'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${paramRef('eventBusName')}`,
    });
    expect(publish.Condition).toEqual({ StringEquals: { 'events:source': AUDIT_EVENT_SOURCE } });
  });

  it('grants on "*" only actions that name no resource', () => {
    const onEverything = allows(readPolicy(fn.policy).Statement).filter((entry) => entry.Resource === '*');

    for (const action of onEverything.flatMap((entry) => entry.Action)) {
      expect(RESOURCELESS_ACTIONS).toContain(action);
    }
  });
});

describe('adapters', () => {
  const modules = [...sourceFiles('shared'), ...sourceFiles('functions')];
  const senders = modules.filter((module) => sentActionsOf(repoFile(module)).length > 0);

  it('are found: the modules that send AWS SDK commands', () => {
    expect(senders).toEqual([
      'shared/audit/publish-audit-events.ts',
      'shared/chat/sns-chat.ts',
      'shared/console-access/console-iam.ts',
      'shared/credential-report/fetch-report.ts',
      'shared/kernel/account-alias.ts',
      'shared/kernel/account-password-policy.ts',
      'shared/key-enforcement/iam-account.ts',
      'shared/mail/mailer.ts',
      'shared/onboarding/onboarding-iam.ts',
      'shared/org-night/step-functions-executions.ts',
      'shared/organization/inventory-store.ts',
      'shared/organization/member-session.ts',
      'shared/organization/organization-accounts.ts',
      'shared/organization/run-results.ts',
      'shared/password-policy/iam-password-policy.ts',
      'shared/user-tags/user-tags.ts',
    ]);
  });

  it.each(senders)('%s declares exactly the actions of the commands it sends', async (module) => {
    const sent = sentActionsOf(repoFile(module));

    const declared = Object.values(await declaredActionsOf(module)).flat();
    expect(sorted(declared)).toEqual(
      sorted([...sent, ...sent.flatMap((action) => IMPLIED_ACTIONS[action] ?? [])]),
    );
  });

  it('name their declarations <AREA>_<SERVICE>_ACTIONS, after the service of every action in them', async () => {
    const services: Record<string, string> = {
      IAM: 'iam',
      SES: 'ses',
      EVENTBRIDGE: 'events',
      SNS: 'sns',
      STS: 'sts',
      S3: 's3',
      ORGANIZATIONS: 'organizations',
      SFN: 'states',
    };
    for (const module of senders) {
      for (const [name, actions] of Object.entries(await declaredActionsOf(module))) {
        const service =
          /^[A-Z]+(?:_[A-Z]+)*_(IAM|SES|EVENTBRIDGE|SNS|STS|S3|ORGANIZATIONS|SFN)_ACTIONS$/.exec(name)?.[1];
        expect(service, `${module}: ${name}`).toBeDefined();
        for (const action of actions) expect(action.split(':')[0]).toBe(services[service ?? '']);
      }
    }
  });
});

describe('bundled modules', () => {
  it.each([
    ['enforceKeys', false],
    ['enforcePasswordPolicy', true],
    ['onboardUser', true],
  ])("of %s hold kernel's password-policy reader only when it reads the policy (%s)", async (name, held) => {
    const modules = await bundledModules(byName(name).handler);

    expect(modules).toContain('shared/kernel/aws-errors.ts');
    expect(modules.includes('shared/kernel/account-password-policy.ts')).toBe(held);
  });
});

describe('no policy grants a wildcard action', () => {
  it.each([
    ...ALL_FUNCTIONS.map((fn) => fn.policy),
    'policies/org-state-machine.json',
    'policies/self-service.json',
  ])('%s', (policy) => {
    const actions = readPolicy(policy).Statement.flatMap((entry) => entry.Action ?? entry.NotAction ?? []);

    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
  });
});

describe('the enforceKeys role', () => {
  it('acts on access keys and reads tags only of users of its own account', () => {
    for (const action of [
      'iam:ListAccessKeys',
      'iam:GetAccessKeyLastUsed',
      'iam:UpdateAccessKey',
      'iam:DeleteAccessKey',
      'iam:ListUserTags',
      'iam:TagUser',
      'iam:UntagUser',
    ]) {
      expect(statementFor(enforceKeys, action).Resource).toEqual(USER_ARNS);
    }
  });

  it('sets and removes only its own record tags: never an exemption, an email or anyone else’s tag', () => {
    for (const action of ['iam:TagUser', 'iam:UntagUser']) {
      expect(statementFor(enforceKeys, action).Condition).toEqual({
        'ForAllValues:StringLike': { 'aws:TagKeys': [...RECORD_TAG_KEY_PATTERNS] },
        Null: { 'aws:TagKeys': 'false' },
      });
    }
  });
});

describe('the chat topic', () => {
  // The stack's own topic when chatTopicArn is empty, else the topic given: the same choice the stack's
  // output and CHAT_TOPIC_ARN make.
  const THE_CHAT_TOPIC = { 'Fn::If': ['CreatesChatTopic', { Ref: 'ChatTopic' }, { Ref: 'ChatTopicArn' }] };
  const posting = FUNCTIONS.filter((fn) => grantedBy(fn).includes('sns:Publish'));

  it('is posted to by the two scheduled functions, whose code declares it, and not by onboardUser', async () => {
    expect(posting.map((fn) => fn.name)).toEqual(['enforceKeys', 'enforcePasswordPolicy']);
    for (const fn of posting) expect(await bundledModules(fn.handler)).toContain('shared/chat/sns-chat.ts');
    expect(await bundledModules(onboardUser.handler)).not.toContain('shared/chat/sns-chat.ts');
  });

  it.each(posting)('is the one resource $name may publish to: no other topic, no other SNS action', (fn) => {
    const publish = statementFor(fn, 'sns:Publish');

    expect(publish.Action).toEqual([...CHAT_SNS_ACTIONS]);
    expect(publish.Resource).toEqual(THE_CHAT_TOPIC);
    expect(publish.Condition).toBeUndefined();
    expect(grantedBy(fn).filter((action) => action.startsWith('sns:'))).toEqual(['sns:Publish']);
  });
});

describe('the enforceConsoleAccess role', () => {
  it('reads and removes console passwords, and reads tags, only of users of its own account', () => {
    for (const action of [
      'iam:ListUserTags',
      'iam:GetLoginProfile',
      'iam:GetUser',
      'iam:DeleteLoginProfile',
    ]) {
      expect(statementFor(enforceConsoleAccess, action).Resource).toEqual(USER_ARNS);
    }
  });

  it('sets and removes only its own record tags: never an exemption, a key record or an email', () => {
    for (const action of ['iam:TagUser', 'iam:UntagUser']) {
      expect(statementFor(enforceConsoleAccess, action).Condition).toEqual({
        'ForAllValues:StringLike': { 'aws:TagKeys': [...CONSOLE_RECORD_TAG_KEYS] },
        Null: { 'aws:TagKeys': 'false' },
      });
    }
  });

  it('is the only role that may remove a console password for good, and holds no access-key action', () => {
    const policy = JSON.stringify(readPolicy(enforceConsoleAccess.policy));
    expect(policy).not.toMatch(/AccessKey/);
    expect(grantedBy(enforceKeys)).not.toContain('iam:DeleteLoginProfile');
  });
});

describe('the onboardUser role', () => {
  const statement = (sid: string) => {
    const found = readPolicy(onboardUser.policy).Statement.find((entry) => entry.Sid === sid);
    if (found === undefined) throw new Error(`no statement ${sid}`);
    return found;
  };
  // Marked as onboarded, and with no tag key but the email tag, the onboarded tags and allowedTagKeys.
  const markedAsOnboarded = {
    Null: { [`aws:RequestTag/${ONBOARDED_TAG}`]: 'false' },
    'ForAllValues:StringEquals': { 'aws:TagKeys': ONBOARDING_TAG_KEYS },
  };

  it('never touches access keys', () => {
    expect(JSON.stringify(readPolicy(onboardUser.policy))).not.toMatch(/AccessKey/);
  });

  it('creates users only under USER_PATH, marked as onboarded, with allowed tag keys only, and with exactly the boundary when one is set', () => {
    const create = statementFor(onboardUser, 'iam:CreateUser');

    expect(create.Resource).toBe(USERS_UNDER_PATH);
    expect(create.Condition).toEqual({
      'Fn::If': [
        'HasPermissionsBoundary',
        {
          ...markedAsOnboarded,
          StringEquals: { 'iam:PermissionsBoundary': { Ref: 'PermissionsBoundaryArn' } },
        },
        markedAsOnboarded,
      ],
    });
  });

  it('tags only users under USER_PATH, only together with the onboarded tag, and only with allowed keys', () => {
    const tag = statementFor(onboardUser, 'iam:TagUser');

    expect(tag.Resource).toBe(USERS_UNDER_PATH);
    expect(tag.Condition).toEqual(markedAsOnboarded);
  });

  it('may never set the exempt tag or a record of the service (keys, console access) on any user', () => {
    const deny = statement('NeverSetExemptionsOrKeyRecords');

    expect(deny).toMatchObject({
      Effect: 'Deny',
      Action: ['iam:CreateUser', 'iam:TagUser'],
      Resource: USER_ARNS,
    });
    expect(deny.Condition).toEqual({
      'ForAnyValue:StringLike': {
        'aws:TagKeys': [paramRef('exemptTag'), ...RECORD_TAG_KEY_PATTERNS, ...CONSOLE_RECORD_TAG_KEYS],
      },
    });
  });

  it('sets passwords on, rolls back and deletes only users under USER_PATH: never an existing user elsewhere', () => {
    for (const action of ['iam:CreateLoginProfile', 'iam:DeleteLoginProfile', 'iam:DeleteUser']) {
      expect(statementFor(onboardUser, action).Resource).toBe(USERS_UNDER_PATH);
    }
  });

  it('acts on users only under USER_PATH, whatever the action, except to look a name up', () => {
    // Every IAM action the role may take on a user resource (IAM authorizes group memberships on the group).
    const userActions = ONBOARDING_IAM_ACTIONS.filter(
      (action) => !/Group|AccountAliases/.test(action),
    ) as string[];
    const onUsers = allows(readPolicy(onboardUser.policy).Statement).filter((entry) =>
      entry.Action.some((action) => userActions.includes(action)),
    );

    expect(onUsers.map((entry) => entry.Sid)).toEqual([
      'CheckUserNamesAreFree',
      'CreateUsersMarkedAsOnboardedWithTheBoundary',
      'TagNewUsersAsOnboarded',
      'SetUpAndRollBackUsers',
      'AttachOnlySelfServiceAndChangePasswordPolicies',
    ]);
    for (const entry of onUsers.slice(1)) expect(entry.Resource).toBe(USERS_UNDER_PATH);
    expect(statementFor(onboardUser, 'iam:GetUser').Action).toEqual(['iam:GetUser']);
  });

  it('attaches and detaches only the self-service policy and IAMUserChangePassword', () => {
    for (const action of ['iam:AttachUserPolicy', 'iam:DetachUserPolicy']) {
      const attach = statementFor(onboardUser, action);

      expect(attach.Resource).toBe(USERS_UNDER_PATH);
      expect(attach.Condition).toEqual({
        ArnEquals: {
          'iam:PolicyARN': [
            { Ref: 'SelfServicePolicy' },
            { 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${CHANGE_PASSWORD_POLICY_NAME}` },
          ],
        },
      });
    }
  });

  it('checks, joins and leaves only the allowed groups', () => {
    for (const action of ['iam:GetGroup', 'iam:AddUserToGroup', 'iam:RemoveUserFromGroup']) {
      expect(statementFor(onboardUser, action).Resource).toBe(ALLOWED_GROUPS);
    }
  });

  it('looks up user names across every path: a name is unique in the account', () => {
    expect(statementFor(onboardUser, 'iam:GetUser').Resource).toEqual(USER_ARNS);
  });
});

describe('the organization roles', () => {
  const worker = byOrgName('orgEnforceAccount');
  const lister = byOrgName('orgListAccounts');
  const digest = byOrgName('orgDigest');
  const starter = byOrgName('orgStartNight');
  const guard = byOrgName('orgCheckGuard');
  const RESULTS_OBJECTS = { 'Fn::Sub': '${OrgResultsBucket.Arn}/*' };

  it('grant nothing in the security account’s IAM', () => {
    for (const fn of [worker, lister, digest, starter, guard]) {
      expect(
        grantedBy(fn).filter((action) => action.startsWith('iam:')),
        fn.name,
      ).toEqual([]);
    }
  });

  it('let the worker assume only the member role, and only in accounts of its own organization', () => {
    const assume = statementFor(worker, 'sts:AssumeRole');

    expect(assume.Action).toEqual(['sts:AssumeRole']);
    expect(assume.Resource).toEqual({
      'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/${paramRef('orgMemberRoleName')}`,
    });
    expect(assume.Condition).toEqual({
      StringEquals: { 'aws:ResourceOrgID': { 'Fn::Join': ['', ['$', '{aws:PrincipalOrgID}']] } },
    });
  });

  it('let the worker store key inventories, and the digest read results, in the results bucket only', () => {
    expect(statementFor(worker, 's3:PutObject').Resource).toEqual(RESULTS_OBJECTS);
    expect(statementFor(digest, 's3:GetObject').Resource).toEqual(RESULTS_OBJECTS);
    expect(statementFor(digest, 's3:ListBucket').Resource).toEqual({
      'Fn::GetAtt': ['OrgResultsBucket', 'Arn'],
    });
  });

  it('let the lister only list accounts and organizational units', () => {
    const own = grantedBy(lister).filter((action) => !LOG_ACTIONS.includes(action));

    expect(own.length).toBeGreaterThan(0);
    for (const action of own)
      expect(action).toMatch(/^organizations:List(Accounts|AccountsForParent|OrganizationalUnitsForParent)$/);
  });

  it('let the starter list and start executions of the organization state machine alone', () => {
    for (const action of ['states:ListExecutions', 'states:StartExecution']) {
      expect(statementFor(starter, action).Resource).toEqual({ Ref: 'OrgStateMachine' });
    }
  });
});

describe('the organization state machine role', () => {
  const statements = allows(readPolicy('policies/org-state-machine.json').Statement);
  const granting = (action: string) => statements.filter((entry) => entry.Action.includes(action));
  const stateMachineArn =
    'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${self:service}-${sls:stage}-organization';

  it('may invoke its four functions and nothing else', () => {
    const [invoke] = granting('lambda:InvokeFunction');

    expect(granting('lambda:InvokeFunction')).toHaveLength(1);
    expect(invoke?.Action).toEqual(['lambda:InvokeFunction']);
    expect(invoke?.Resource).toEqual(
      ['OrgListAccounts', 'OrgEnforceAccount', 'OrgDigest', 'OrgCheckGuard'].map((name) => ({
        'Fn::GetAtt': [`${name}LambdaFunction`, 'Arn'],
      })),
    );
  });

  it('may start, watch and stop only its own Distributed Map child executions', () => {
    expect(granting('states:StartExecution').map((entry) => entry.Resource)).toEqual([
      { 'Fn::Sub': stateMachineArn },
    ]);
    for (const action of ['states:DescribeExecution', 'states:StopExecution']) {
      expect(granting(action).map((entry) => entry.Resource)).toEqual([
        { 'Fn::Sub': `${stateMachineArn.replace(':stateMachine:', ':execution:')}/*` },
      ]);
    }
  });

  it('writes the Map results only into the results bucket', () => {
    const s3 = statements.filter((entry) => entry.Action.some((action) => action.startsWith('s3:')));

    expect(s3.map((entry) => entry.Resource)).toEqual([{ 'Fn::Sub': '${OrgResultsBucket.Arn}/*' }]);
  });

  it('grants exactly these actions', () => {
    expect(sorted(statements.flatMap((entry) => entry.Action))).toEqual(
      sorted([
        'lambda:InvokeFunction',
        'states:StartExecution',
        'states:DescribeExecution',
        'states:StopExecution',
        's3:PutObject',
        's3:GetObject',
        's3:ListMultipartUploadParts',
        's3:AbortMultipartUpload',
      ]),
    );
  });

  it('names the state machine as serverless.yml does', () => {
    expect(resourceBlock('OrgStateMachine')).toContain(
      'StateMachineName: ${self:service}-${sls:stage}-organization',
    );
  });
});
