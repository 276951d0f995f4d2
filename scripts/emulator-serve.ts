/**
 * `npm run emulator`: an emulated account seeded with the demo users (and what onboarding needs), kept
 * running until Ctrl-C, so that `npm run plan`, `npm run onboard`, `serverless invoke local` (or any AWS
 * tool) can be pointed at it from another terminal.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { seedConsoleDemoUsers } from './console-demo-account.ts';
import { seedDemoAccount } from './demo-account.ts';
import { DEMO_STACK } from './demo-stack.ts';
import { emulatorEnvironment, startEmulator } from './emulator/index.ts';
import { seedOnboardingAccount } from './onboarding-account.ts';

async function main(): Promise<void> {
  const emulator = await startEmulator({ log: (line) => process.stdout.write(`${line}\n`) });
  const environment = emulatorEnvironment(emulator.endpoint);
  Object.assign(process.env, environment);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const demo = await seedDemoAccount(new IAMClient({}), emulator.control, new Date());
  const consoleUsers = await seedConsoleDemoUsers(new IAMClient({}), emulator.control, new Date());
  const onboarding = await seedOnboardingAccount({}, emulator.control);
  // A request may name only these groups and set only these tag keys (none when unset): `npm run onboard`
  // reads them from the environment, osls from stage parameters (required for any osls command).
  const allowed = { groups: onboarding.groups.join(','), tagKeys: 'team' };
  const stageParams = `--param allowedGroups=${allowed.groups} --param allowedTagKeys=${allowed.tagKeys}`;
  const exports = Object.entries({
    ...environment,
    SELF_SERVICE_POLICY_ARN: onboarding.selfServicePolicyArn,
    SENDER_EMAIL: onboarding.sender,
    ALLOWED_GROUPS: allowed.groups,
    ALLOWED_TAG_KEYS: allowed.tagKeys,
  })
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
  const example = JSON.stringify({
    userName: 'jane.doe',
    email: 'jane.doe@example.com',
    groups: [onboarding.groups[0]],
    tags: { team: 'data' },
  });
  process.stdout.write(
    `Emulator on ${emulator.endpoint}, seeded with ${Object.keys(demo.users).length + Object.keys(consoleUsers).length} demo users, ` +
      `the groups ${onboarding.groups.join(', ')}, the self-service policy and the chat topic (in the stack ${DEMO_STACK}).\n` +
      `enforceKeys and enforcePasswordPolicy post to ${onboarding.chatTopicArn} under serverless invoke local.\n` +
      `In another terminal:\n\n${exports}\nnpm run plan -- --at 2026-12-24\n` +
      `npm run onboard -- --data '${example}'\n` +
      `npx serverless invoke local -f onboardUser ${stageParams} --param senderEmail=${onboarding.sender} --data '${example}'\n` +
      `npx serverless invoke local -f enforceKeys ${stageParams} --data '{"dryRun": true}'\n\nCtrl-C stops it.\n`,
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
