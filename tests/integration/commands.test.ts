import { describe, expect, it } from 'vitest';
import { seedConsoleDemoUsers } from '../../scripts/console-demo-account.ts';
import { seedDemoAccount } from '../../scripts/demo-account.ts';
import { snapshotAccount } from '../helpers/account-snapshot.ts';
import { iamClient, useEmulator } from '../helpers/emulator.ts';
import { REPO_ROOT as ROOT, runNpmScript } from '../helpers/npm-script.ts';

const { control, env } = useEmulator();

/** Runs an npm script as a user would, and collects what it prints. */
function npm(args: string[], extraEnv: Record<string, string> = {}) {
  return runNpmScript(args, { ...process.env, ...env, ...extraEnv });
}

describe('the README commands', () => {
  it('npm run plan -- --at forecasts against the account the AWS settings point at, and changes nothing', async () => {
    await seedDemoAccount(iamClient(), control, new Date());
    await seedConsoleDemoUsers(iamClient(), control, new Date());
    const before = await snapshotAccount(iamClient());
    const { code, stdout } = await npm(['plan', '--', '--at', '2027-06-01']);
    expect(code).toBe(0);
    expect(stdout).toContain('key-hygiene DRY RUN (nothing changed), decisions as of 2027-06-01 03:00 UTC');
    // Never warned (a forecast does not replay the nights in between): a first notice, 7 days out.
    expect(stdout).toMatch(
      /alice\.fresh\s+AKIA\w+\s+\d+d\s+warn\s+reported\s+first notice: will be deactivated on 2027-06-08 \(in 7 days\)/,
    );
    // Warned by earlier runs: due.
    expect(stdout).toMatch(/bob\.overdue\s+AKIA\w+\s+\d+d\s+deactivate\s+dry run\s/);
    expect(stdout).toContain('Owner mail: none sent (a forecast mails nobody).');
    // Console passwords, forecast too: by June 2027 sam.signs-in's last sign-in is months old, and its
    // owner never warned (a forecast does not replay the nights in between): a first notice, 7 days out.
    expect(stdout).toContain(
      'console access DRY RUN (nothing changed), decisions as of 2027-06-01 03:00 UTC',
    );
    expect(stdout).toMatch(
      /sam\.signs-in\s+\S+ \[last sign-in\]\s+2027-06-08\s+warn\s+reported\s+first notice: will be removed on 2027-06-08 \(in 7 days\), not earlier; console password last used/,
    );
    // Warned by earlier runs for this removal date: the forecast removes it.
    expect(stdout).toMatch(/rex\.console-warned\s+\S+ \[last sign-in\]\s+\S+\s+remove\s+dry run\s/);
    expect(stdout).toMatch(
      /^Removals: 1 due tonight, 1 within tonight's limit of 20 \(PASSWORD_REMOVALS_PER_NIGHT\);/m,
    );
    expect(stdout).toMatch(/ida\.idle: \d+ days idle/);
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it('npm run plan applies the per-night limits: what tonight would do, which keys wait, when the backlog clears', async () => {
    await seedDemoAccount(iamClient(), control, new Date());
    const before = await snapshotAccount(iamClient());
    const tomorrow = () => new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const tomorrowBefore = tomorrow();
    const { code, stdout } = await npm(['plan'], { MAX_DEACTIVATIONS_PER_NIGHT: '2' });
    // The forecast's night is the plan's clock plus a day: the same as ours unless midnight passed meanwhile.
    const nights = new Set([tomorrowBefore, tomorrow()]);
    expect(code).toBe(0);
    // Due: tara's old key (200 days), xena (150), bob (120), emma (95); the two most overdue go tonight.
    expect(stdout).toMatch(/tara\.two-keys\s+AKIA\w+\s+200d\s+deactivate\s+dry run/);
    expect(stdout).toMatch(/xena\.exemption-expired\s+AKIA\w+\s+150d\s+deactivate\s+dry run/);
    expect(stdout).toMatch(
      /bob\.overdue\s+AKIA\w+\s+120d\s+deactivate\s+waiting\s+.*expected on \d{4}-\d{2}-\d{2}/,
    );
    expect(stdout).toMatch(/emma\.with-email\s+AKIA\w+\s+95d\s+deactivate\s+waiting/);
    const line = /Deactivations: .*/.exec(stdout)?.[0] ?? '';
    const clears = /clears on the night of (\d{4}-\d{2}-\d{2})/.exec(line)?.[1] ?? '';
    expect(line).toBe(
      `Deactivations: 4 due tonight, 2 within tonight's limit of 2 (MAX_DEACTIVATIONS_PER_NIGHT); 2 remain (2 due and waiting, the most overdue first): at 2 a night the backlog clears on the night of ${clears}, unless more fall due.`,
    );
    expect(nights).toContain(clears);
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it.each([
    { args: ['--at', '2026-02-30'], message: '--at must be an ISO date or timestamp with a time zone' },
    { args: ['--when', 'tomorrow'], message: "Unknown option '--when'" },
  ])('npm run plan refuses $args with a clear message and changes nothing', async ({ args, message }) => {
    await seedDemoAccount(iamClient(), control, new Date());
    const before = await snapshotAccount(iamClient());
    const { code, stderr } = await npm(['plan', '--', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(await snapshotAccount(iamClient())).toEqual(before);
  });

  it('npm start runs the nightly job on its own emulated account and prints the table', async () => {
    const { code, stdout } = await npm(['start'], { MAIL_OUTBOX_DIR: `${ROOT}out/test-start-mail` });
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /bob\.overdue\s+AKIA\w+\s+120d\s+deactivate\s+done\s+active key 120 days old, limit 90: deactivate/,
    );
    expect(stdout).toMatch(/ivan\.deactivated-40d\s+AKIA\w+\s+200d\s+delete\s+done/);
    expect(stdout).toContain('Security team digest: sent.');
    expect(stdout).toMatch(/rex\.console-warned\s+\S+ \[last sign-in\]\s+\S+\s+remove\s+done/);
    expect(stdout).toMatch(
      /uma\.console-unused\s+\S+ \[last sign-in\]\s+\S+\s+warn\s+reported\s+first notice: will be removed on/,
    );
    expect(stdout).toContain('ida.idle: 200 days idle');
    // The chat message it posted, read back as AWS Chatbot would receive it; no JSON log line in the way.
    expect(stdout).toContain('Chat: 1 message(s) posted.');
    expect(stdout).toMatch(
      /Posted to chat \(1 message\(s\), what AWS Chatbot would show in Slack or Teams\):\n\nAccount 123456789012: Nightly report \d{4}-\d{2}-\d{2}: 4 deactivated, 1 deleted, 2 warned\n {2}\*Guard:\* not tripped/,
    );
    expect(stdout).not.toContain('"level":"INFO"');
    expect(stdout).toContain('Emulator stopped.');
  }, 120_000);
});
