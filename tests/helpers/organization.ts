import { IAMClient } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { inject, vi } from 'vitest';
import {
  createEmulatedOrganization,
  type EmulatedOrganization,
  type MemberAccountSpec,
  userWithKey,
} from '../../scripts/emulated-organization.ts';

export { userWithKey };

import type { EmulatorControl } from '../../scripts/emulator/index.ts';
import { lambdaContext } from '../../scripts/local-invoke.ts';

export const ORG_MAIL = {
  SENDER_EMAIL: 'key-hygiene@example.com',
  SECURITY_TEAM_EMAILS: 'security-team@example.com',
};
export const MEMBER_ROLE_NAME = 'key-hygiene-member';
export const WORKER_ROLE_ARN = 'arn:aws:iam::123456789012:role/key-hygiene-org-worker';

const client = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

/** Verifies the sender in the security account, where mail leaves from. */
export async function verifySender(endpoint: string = inject('emulatorEndpoint')): Promise<void> {
  await new SESv2Client(client(endpoint)).send(
    new CreateEmailIdentityCommand({ EmailIdentity: ORG_MAIL.SENDER_EMAIL }),
  );
}

/**
 * Three member accounts: `payments` (alias payments-prod) and `analytics` with the member role, each with
 * an overdue key (120 days) and a fresh one; `sandbox` without the member role (the StackSet has not
 * reached it). The sender is verified in the security account, where mail leaves from.
 */
export async function seedThreeAccountOrganization(
  control: EmulatorControl,
  endpoint: string = inject('emulatorEndpoint'),
  extra: MemberAccountSpec[] = [],
): Promise<EmulatedOrganization> {
  await verifySender(endpoint);
  return createEmulatedOrganization(
    control,
    [
      {
        name: 'payments',
        alias: 'payments-prod',
        users: [userWithKey('pay.overdue', 120), userWithKey('pay.fresh', 10)],
      },
      { name: 'analytics', users: [userWithKey('ana.overdue', 130), userWithKey('ana.nearly', 80)] },
      { name: 'sandbox', memberRole: false, users: [userWithKey('sand.overdue', 200)] },
      ...extra,
    ],
    { client: client(endpoint), memberRoleName: MEMBER_ROLE_NAME, workerRoleArn: WORKER_ROLE_ARN },
  );
}

/** An IAM client acting in a member account (through the role Organizations created there), for assertions. */
export async function memberIamClient(
  accountId: string,
  endpoint: string = inject('emulatorEndpoint'),
): Promise<IAMClient> {
  const access = await new STSClient(client(endpoint)).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'test',
    }),
  );
  return new IAMClient({
    ...client(endpoint),
    credentials: {
      accessKeyId: access.Credentials?.AccessKeyId ?? '',
      secretAccessKey: access.Credentials?.SecretAccessKey ?? '',
      sessionToken: access.Credentials?.SessionToken ?? '',
    },
  });
}

/** Imports an organization handler afresh with the given settings, as a cold start would. */
async function loadHandler<Module extends { handler: (event: unknown, context: never) => Promise<unknown> }>(
  path: string,
  functionName: string,
  settings: Record<string, string>,
) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const { handler } = (await import(path)) as Module;
  return (event: unknown) =>
    handler(event, lambdaContext(functionName) as never) as ReturnType<Module['handler']>;
}

export const loadOrgListAccountsHandler = (settings: Record<string, string> = {}) =>
  loadHandler<typeof import('../../functions/org-list-accounts.ts')>(
    '../../functions/org-list-accounts.ts',
    'orgListAccounts',
    settings,
  );
export const loadOrgEnforceAccountHandler = (settings: Record<string, string> = {}) =>
  loadHandler<typeof import('../../functions/org-enforce-account.ts')>(
    '../../functions/org-enforce-account.ts',
    'orgEnforceAccount',
    settings,
  );
export const loadOrgDigestHandler = (settings: Record<string, string> = {}) =>
  loadHandler<typeof import('../../functions/org-digest.ts')>(
    '../../functions/org-digest.ts',
    'orgDigest',
    settings,
  );
export const loadOrgCheckGuardHandler = (settings: Record<string, string> = {}) =>
  loadHandler<typeof import('../../functions/org-check-guard.ts')>(
    '../../functions/org-check-guard.ts',
    'orgCheckGuard',
    settings,
  );
