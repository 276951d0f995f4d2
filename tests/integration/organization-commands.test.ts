import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { seedMemberUsers } from '../../scripts/emulated-organization.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { runNpmScript } from '../helpers/npm-script.ts';
import {
  memberIamClient,
  ORG_MAIL,
  seedThreeAccountOrganization,
  userWithKey,
  verifySender,
} from '../helpers/organization.ts';

const { control, env, endpoint } = useEmulator();
const SECURITY_ACCOUNT = '123456789012';

/** Runs an npm script as a user would, and collects what it prints. */
function npm(args: string[], extraEnv: Record<string, string> = {}) {
  return runNpmScript(args, {
    ...process.env,
    ...env,
    ...ORG_MAIL,
    ORG_EXCLUDE_ACCOUNTS: SECURITY_ACCOUNT,
    ...extraEnv,
  });
}

async function status(accountId: string, userName: string): Promise<string[]> {
  const iam = await memberIamClient(accountId, endpoint);
  return ((await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? []).map(
    (key) => key.Status ?? '',
  );
}

describe('the organization commands', () => {
  it('npm run enforce -- --org runs every account, one line each, and says which failed', async () => {
    const org = await seedThreeAccountOrganization(control, endpoint);
    const [payments, analytics, sandbox] = org.accounts;

    const { code, stdout } = await npm(['enforce', '--', '--org']);

    expect(code).toBe(1);
    expect(stdout).toContain('3 accounts to run, 1 skipped (10 at a time)');
    const lines = stdout.split('\n').filter((line) => /^\[\d\/3\]/.test(line));
    expect(lines).toHaveLength(3);
    expect(lines.find((line) => line.includes(`${payments?.accountId} (payments-prod)`))).toMatch(
      /done\s+deactivated 1/,
    );
    expect(lines.find((line) => line.includes(`${analytics?.accountId} (analytics)`))).toMatch(
      /done\s+deactivated 1/,
    );
    expect(lines.find((line) => line.includes(`${sandbox?.accountId} (sandbox)`))).toMatch(
      /failed\s+role-missing: /,
    );
    expect(stdout).toContain(`skipped ${SECURITY_ACCOUNT} (master): excluded`);
    expect(stdout).toContain('organization digest: sent');
    expect(await status(payments?.accountId ?? '', 'pay.overdue')).toEqual(['Inactive']);
  }, 120_000);

  it('npm run enforce -- --org --accounts runs those accounts only; --dry-run changes nothing', async () => {
    const org = await seedThreeAccountOrganization(control, endpoint);
    const [payments, analytics] = org.accounts;

    const { code, stdout } = await npm([
      'enforce',
      '--',
      '--org',
      '--dry-run',
      '--accounts',
      payments?.accountId ?? '',
    ]);

    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`\\[1/1\\] ${payments?.accountId} \\(payments-prod\\)\\s+dry run\\s+deactivated 0`),
    );
    expect(stdout).toContain(`skipped ${analytics?.accountId} (analytics): not-included`);
    expect(await status(payments?.accountId ?? '', 'pay.overdue')).toEqual(['Active']);
  }, 120_000);

  it('npm run plan -- --org forecasts every account, each with its table', async () => {
    const org = await seedThreeAccountOrganization(control, endpoint);
    const [payments, , sandbox] = org.accounts;

    const { code, stdout } = await npm(['plan', '--', '--org']);

    expect(code).toBe(0);
    expect(stdout).toContain(`== ${payments?.accountId} (payments-prod)`);
    expect(stdout).toMatch(/pay\.overdue\s+AKIA\w+\s+120d\s+deactivate\s+dry run\s/);
    expect(stdout).toMatch(new RegExp(`== ${sandbox?.accountId} \\(sandbox\\)\\nfailed: role-missing`));
    expect(await status(payments?.accountId ?? '', 'pay.overdue')).toEqual(['Active']);
  }, 120_000);

  it('npm run enforce with no option runs the one account the credentials belong to, naming it', async () => {
    await verifySender(endpoint);
    await seedMemberUsers(control, iamClient(endpoint), [userWithKey('solo.overdue', 120)]);

    const { code, stdout } = await npm(['enforce']);

    expect(code).toBe(0);
    expect(stdout).toMatch(/solo\.overdue\s+AKIA\w+\s+120d\s+deactivate\s+done/);
    expect(stdout).toContain('password policy: created');
    const keys = await iamClient().send(new ListAccessKeysCommand({ UserName: 'solo.overdue' }));
    expect(keys.AccessKeyMetadata?.map((key) => key.Status)).toEqual(['Inactive']);
    const digest = (await control.sentEmails()).find(
      (mail) => mail.kind === 'raw' && mail.rawData.includes('Nightly report'),
    );
    expect(digest?.kind === 'raw' && digest.rawData).toContain(`account ${SECURITY_ACCOUNT}`);
  }, 120_000);

  it.each([
    [['--org', '--accounts', '12345'], '--accounts: every item must be a 12-digit account id (got "12345")'],
    [['--org', '--exclude', 'abc'], '--exclude: every item must be a 12-digit account id (got "abc")'],
    [['--accounts', '111111111111'], '--accounts and --exclude work with --org only'],
    [['--org', '--everything'], "Unknown option '--everything'"],
  ])(
    'npm run enforce %j refuses, naming the option, and touches nothing',
    async (args, message) => {
      const org = await seedThreeAccountOrganization(control, endpoint);
      await control.clearServedRequests();

      const { code, stderr } = await npm(['enforce', '--', ...args]);

      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(await control.servedRequests()).toEqual([]);
      expect(await status(org.accounts[0]?.accountId ?? '', 'pay.overdue')).toEqual(['Active']);
    },
    60_000,
  );

  it('npm run enforce -- --org refuses a bad setting, naming it, before any account is touched', async () => {
    await seedThreeAccountOrganization(control, endpoint);
    await control.clearServedRequests();

    const { code, stderr } = await npm(['enforce', '--', '--org'], {
      ORG_MEMBER_ROLE_NAME: 'no spaces allowed',
    });

    expect(code).toBe(2);
    expect(stderr).toContain('ORG_MEMBER_ROLE_NAME: must be an IAM role name');
    expect(await control.servedRequests()).toEqual([]);
  }, 60_000);
});
