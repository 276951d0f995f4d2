import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateGroupCommand, IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CHANGE_PASSWORD_POLICY_NAME } from '../shared/onboarding/index.ts';
import { createDemoStack } from './demo-stack.ts';
import type { EmulatorControl } from './emulator/index.ts';

export const DEMO_SENDER = 'key-hygiene@example.com';
export const DEMO_GROUPS = ['developers', 'analysts'] as const;

export interface OnboardingAccount {
  selfServicePolicyArn: string;
  /** The demo stack's chat topic, which enforceKeys posts to under `serverless invoke local`. */
  chatTopicArn: string;
  changePasswordPolicyArn: string;
  sender: string;
  groups: string[];
}

/** Where the account is: `{}` for the SDK's standard settings (AWS_ENDPOINT_URL, AWS_REGION, ...). */
export type AccountSettings = Pick<IAMClientConfig, 'endpoint' | 'region' | 'credentials'>;

/**
 * Gives an emulated account what the functions expect of a deployed one: the stack `key-hygiene-dev` holding
 * the self-service managed policy and the chat topic (named as the stack names them, so that `serverless
 * invoke local` finds them as deployed), AWS's IAMUserChangePassword, groups to join, and a verified SES
 * sender.
 */
export async function seedOnboardingAccount(
  account: AccountSettings,
  control: EmulatorControl,
): Promise<OnboardingAccount> {
  const { selfServicePolicyArn, chatTopicArn } = await createDemoStack(new CloudFormationClient(account));
  const changePasswordPolicyArn = await control.addAwsManagedPolicy(CHANGE_PASSWORD_POLICY_NAME);
  const iam = new IAMClient(account);
  for (const group of DEMO_GROUPS) await iam.send(new CreateGroupCommand({ GroupName: group }));
  await new SESv2Client(account).send(new CreateEmailIdentityCommand({ EmailIdentity: DEMO_SENDER }));
  return {
    selfServicePolicyArn,
    chatTopicArn,
    changePasswordPolicyArn,
    sender: DEMO_SENDER,
    groups: [...DEMO_GROUPS],
  };
}
