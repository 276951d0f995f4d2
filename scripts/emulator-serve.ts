/**
 * `npm run emulator`: an emulated account seeded with the demo users, kept running until Ctrl-C, so that
 * `npm run plan` (or any AWS tool) can be pointed at it from another terminal.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { seedDemoAccount } from './demo-account.ts';
import { emulatorEnvironment, startEmulator } from './emulator/emulator.ts';

async function main(): Promise<void> {
  const emulator = await startEmulator({ log: (line) => process.stdout.write(`${line}\n`) });
  const environment = emulatorEnvironment(emulator.endpoint);
  Object.assign(process.env, environment);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const demo = await seedDemoAccount(new IAMClient({}), emulator.control, new Date());
  const exports = Object.entries(environment)
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
  process.stdout.write(
    `Emulator on ${emulator.endpoint}, seeded with ${Object.keys(demo.users).length} demo users.\n` +
      `In another terminal:\n\n${exports}\nnpm run plan -- --at 2026-12-24\n\nCtrl-C stops it.\n`,
  );
  const stop = () => {
    emulator.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
