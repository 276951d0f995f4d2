/**
 * `npm start -- --org`: the organization run on an emulated organization: three member accounts (one
 * without the member role, as an account the StackSet has not reached), run through the real
 * orgListAccounts, orgEnforceAccount and orgDigest handlers, as the state machine runs them.
 */
import { join, resolve } from 'node:path';
import { createEmulatedOrganization, userWithKey } from './emulated-organization.ts';
import type { EmulatorControl } from './emulator/index.ts';
import { lambdaContext } from './local-invoke.ts';

// The service's modules are imported only once the demo's environment is set (log level, outbox): the
// logger and the handlers read it when they load.

const say = (line = '') => process.stdout.write(`${line}\n`);
const MEMBER_ROLE_NAME = 'key-hygiene-member';

export async function demoOrganization(control: EmulatorControl): Promise<void> {
  const now = new Date();
  const org = await createEmulatedOrganization(
    control,
    [
      {
        name: 'payments',
        alias: 'payments-prod',
        users: [
          userWithKey('pay.overdue', 120, now),
          userWithKey('pay.nearly-due', 80, now),
          userWithKey('pay.fresh', 10, now),
        ],
      },
      { name: 'analytics', users: [userWithKey('ana.overdue', 150, now), userWithKey('ana.fresh', 30, now)] },
      { name: 'sandbox', memberRole: false, users: [userWithKey('sandbox.overdue', 200, now)] },
    ],
    {
      client: { region: process.env.AWS_REGION ?? 'us-east-1' },
      memberRoleName: MEMBER_ROLE_NAME,
      workerRoleArn: 'arn:aws:iam::123456789012:role/key-hygiene-org-worker',
    },
  );
  // A service-managed StackSet does not reach the management account, where the demo runs the service.
  process.env.ORG_EXCLUDE_ACCOUNTS ??= org.securityAccountId;
  process.env.ORG_MEMBER_ROLE_NAME ??= MEMBER_ROLE_NAME;
  say('');
  say(`Emulated organization ${org.organizationId}, run from the security account ${org.securityAccountId}:`);
  for (const account of org.accounts) {
    say(
      `  ${account.accountId} ${account.name.padEnd(10)} ${account.users.length} users${account.memberRole ? '' : '  (no member role: the StackSet has not reached it)'}`,
    );
  }
  say('');
  say(
    'Running the organization night: orgListAccounts, then orgEnforceAccount per account, then orgDigest...',
  );
  say('');
  const { runOrganization, THROTTLE_RETRY, loadOrganizationConfig } = await import(
    '../shared/organization/index.ts'
  );
  const { progressLine } = await import('./organization-run.ts');
  // Each handler numbers its mail copies from 1: one folder each, so none overwrites another's.
  const outbox = resolve(process.env.MAIL_OUTBOX_DIR ?? 'out/mail');
  const lister = (await import('../functions/org-list-accounts.ts')).handler;
  process.env.MAIL_OUTBOX_DIR = join(outbox, 'accounts');
  const worker = (await import('../functions/org-enforce-account.ts')).handler;
  process.env.MAIL_OUTBOX_DIR = join(outbox, 'organization');
  const digest = (await import('../functions/org-digest.ts')).handler;
  const { maxConcurrency } = loadOrganizationConfig(process.env);
  const { summary } = await runOrganization(
    {
      listAccounts: () => lister({}, lambdaContext('orgListAccounts')),
      enforceAccount: (request) => worker(request, lambdaContext('orgEnforceAccount', 900_000)),
      digest: ({ listing, results, guard }) =>
        digest(
          {
            night: listing.night,
            dryRun: listing.dryRun,
            listed: listing,
            results,
            ...(guard ? { guard } : {}),
          },
          lambdaContext('orgDigest'),
        ),
      onAccount: (result, finished, total) => say(progressLine(result, finished, total)),
    },
    { maxConcurrency, maxActions: undefined, retry: THROTTLE_RETRY },
  );
  const { totals } = summary;
  say('');
  say(
    `${totals.accounts} accounts: ${totals.done} finished, ${totals.failedAccounts} failed, ${totals.skipped} skipped; ${totals.deactivated} keys deactivated, ${totals.warned} warned. Organization digest: ${summary.mail.status}.`,
  );
  const mails = (await control.sentEmails()).length;
  say(
    `The emulator accepted ${mails} mail(s): owner mail and each account's digest (copies in ${join(outbox, 'accounts')}), the organization digest (${join(outbox, 'organization')}).`,
  );
}
