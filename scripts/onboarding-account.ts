import { readFile } from 'node:fs/promises';
import { CreateGroupCommand, CreatePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { CHANGE_PASSWORD_POLICY_NAME } from '../shared/onboarding/index.ts';
import type { EmulatorControl } from './emulator/index.ts';

export const SELF_SERVICE_POLICY_FILE = new URL('../policies/self-service.json', import.meta.url);
export const DEMO_SENDER = 'key-hygiene@example.com';
export const DEMO_GROUPS = ['developers', 'analysts'] as const;

export interface OnboardingAccount {
  selfServicePolicyArn: string;
  changePasswordPolicyArn: string;
  sender: string;
  groups: string[];
}

/**
 * Gives an emulated account what onboardUser expects of a deployed one: the self-service managed policy
 * (from policies/self-service.json, as the stack deploys it), AWS's IAMUserChangePassword, groups to join,
 * and a verified SES sender.
 */
export async function seedOnboardingAccount(
  iam: IAMClient,
  ses: SESv2Client,
  control: EmulatorControl,
): Promise<OnboardingAccount> {
  const document = await readFile(SELF_SERVICE_POLICY_FILE, 'utf8');
  const created = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'key-hygiene-self-service', PolicyDocument: document }),
  );
  const selfServicePolicyArn = created.Policy?.Arn;
  if (selfServicePolicyArn === undefined) throw new Error('CreatePolicy returned no ARN');
  const changePasswordPolicyArn = await control.addAwsManagedPolicy(CHANGE_PASSWORD_POLICY_NAME);
  for (const group of DEMO_GROUPS) await iam.send(new CreateGroupCommand({ GroupName: group }));
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: DEMO_SENDER }));
  return { selfServicePolicyArn, changePasswordPolicyArn, sender: DEMO_SENDER, groups: [...DEMO_GROUPS] };
}
