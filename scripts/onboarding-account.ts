import { readFile } from 'node:fs/promises';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourceCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateGroupCommand, IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CHANGE_PASSWORD_POLICY_NAME } from '../shared/onboarding/index.ts';
import type { EmulatorControl } from './emulator/index.ts';

export const SELF_SERVICE_POLICY_FILE = new URL('../policies/self-service.json', import.meta.url);
export const DEMO_SENDER = 'key-hygiene@example.com';
export const DEMO_GROUPS = ['developers', 'analysts'] as const;
/** The stack of serverless.yml's default stage, the one `serverless invoke local` reads without --stage. */
export const DEMO_STACK = 'key-hygiene-dev';

export interface OnboardingAccount {
  selfServicePolicyArn: string;
  changePasswordPolicyArn: string;
  sender: string;
  groups: string[];
}

/** Where the account is: `{}` for the SDK's standard settings (AWS_ENDPOINT_URL, AWS_REGION, ...). */
export type AccountSettings = Pick<IAMClientConfig, 'endpoint' | 'region' | 'credentials'>;

/**
 * Gives an emulated account what onboardUser expects of a deployed one: the stack `key-hygiene-dev` holding
 * the self-service managed policy (from policies/self-service.json, named as the stack names it, so that
 * `serverless invoke local` finds it as deployed), AWS's IAMUserChangePassword, groups to join, and a
 * verified SES sender.
 */
export async function seedOnboardingAccount(
  account: AccountSettings,
  control: EmulatorControl,
): Promise<OnboardingAccount> {
  const selfServicePolicyArn = await createSelfServiceStack(new CloudFormationClient(account));
  const changePasswordPolicyArn = await control.addAwsManagedPolicy(CHANGE_PASSWORD_POLICY_NAME);
  const iam = new IAMClient(account);
  for (const group of DEMO_GROUPS) await iam.send(new CreateGroupCommand({ GroupName: group }));
  await new SESv2Client(account).send(new CreateEmailIdentityCommand({ EmailIdentity: DEMO_SENDER }));
  return { selfServicePolicyArn, changePasswordPolicyArn, sender: DEMO_SENDER, groups: [...DEMO_GROUPS] };
}

/** The part of serverless.yml's stack that onboardUser reads: SelfServicePolicy. Returns the policy's ARN. */
async function createSelfServiceStack(cloudFormation: CloudFormationClient): Promise<string> {
  const template = {
    Resources: {
      SelfServicePolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: `${DEMO_STACK}-self-service`,
          PolicyDocument: JSON.parse(await readFile(SELF_SERVICE_POLICY_FILE, 'utf8')),
        },
      },
    },
  };
  await cloudFormation.send(
    new CreateStackCommand({ StackName: DEMO_STACK, TemplateBody: JSON.stringify(template) }),
  );
  const { StackResourceDetail: policy } = await cloudFormation.send(
    new DescribeStackResourceCommand({ StackName: DEMO_STACK, LogicalResourceId: 'SelfServicePolicy' }),
  );
  if (policy?.PhysicalResourceId === undefined) throw new Error(`${DEMO_STACK} holds no SelfServicePolicy`);
  return policy.PhysicalResourceId;
}
