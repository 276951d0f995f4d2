/**
 * `npm start`: the nightly job, end to end, on an emulated AWS account. Starts the emulator, seeds a demo
 * account, runs the real enforceKeys and enforceConsoleAccess handlers against it, prints what they did
 * to which key and console password and why, and stops the emulator. No AWS account needed.
 * `npm start -- --org`: the organization run on an emulated organization of three member accounts, one
 * without the member role.
 */
import './quiet-logs.ts';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { logger } from '../shared/kernel/index.ts';
import { chatMessageText, subscribeChatInbox } from './chat-inbox.ts';
import { seedConsoleDemoUsers } from './console-demo-account.ts';
import { seedDemoAccount } from './demo-account.ts';
import { demoOrganization } from './demo-organization.ts';
import { emulatorEnvironment, startEmulator } from './emulator/index.ts';
import { lambdaContext } from './local-invoke.ts';

const say = (line = '') => process.stdout.write(`${line}\n`);

// The demo's mail settings; anything set in the environment wins.
const DEMO_MAIL = {
  SENDER_EMAIL: 'key-hygiene@example.com',
  SECURITY_TEAM_EMAILS: 'security-team@example.com',
  EMAIL_DOMAIN: 'example.com',
  MAIL_OUTBOX_DIR: 'out/mail',
};

async function main(): Promise<void> {
  say('Starting the AWS emulator (moto)...');
  const emulator = await startEmulator({ log: (line) => say(`  ${line}`) });
  try {
    // Everything below talks to the emulator only, through the SDK's standard settings.
    Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
    // The demo account's module has loaded the service's logger already (at INFO, unless the environment
    // says otherwise): the function's JSON log lines would bury the tables below.
    if (process.env.POWERTOOLS_LOG_LEVEL === undefined) logger.setLogLevel('WARN');
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    // The SDK warns that its 2027 releases need Node 22; the demo pins today's release, so spare the reader.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    say(`Emulator listening on ${emulator.endpoint}`);

    for (const [name, value] of Object.entries(DEMO_MAIL)) process.env[name] ??= value;
    const outbox = resolve(process.env.MAIL_OUTBOX_DIR ?? DEMO_MAIL.MAIL_OUTBOX_DIR);
    await rm(outbox, { recursive: true, force: true });
    // SES sends only from a verified identity; the emulator verifies it at once.
    await new SESv2Client({}).send(
      new CreateEmailIdentityCommand({ EmailIdentity: process.env.SENDER_EMAIL }),
    );

    if (process.argv.includes('--org')) {
      await demoOrganization(emulator.control);
      return;
    }
    // The chat topic the deployed stack would create, and a queue reading it as AWS Chatbot would.
    const { TopicArn: chatTopic } = await new SNSClient({}).send(
      new CreateTopicCommand({
        Name: 'key-hygiene-dev-notifications',
        Attributes: { KmsMasterKeyId: 'alias/aws/sns' },
      }),
    );
    process.env.CHAT_TOPIC_ARN = chatTopic;
    const chatInbox = await subscribeChatInbox(chatTopic ?? '');

    const now = new Date();
    const demo = await seedDemoAccount(new IAMClient({}), emulator.control, now);
    const consoleUsers = await seedConsoleDemoUsers(new IAMClient({}), emulator.control, now);
    const seeded = [...Object.values(demo.users), ...Object.values(consoleUsers)];
    say('');
    say(`Seeded a demo account with ${seeded.length} users:`);
    const width = Math.max(...seeded.map((user) => user.userName.length));
    for (const user of seeded) say(`  ${user.userName.padEnd(width)}  ${user.shows}`);

    say('');
    say('Running the nightly enforceKeys handler...');
    say('');
    const { handler } = await import('../functions/enforce-keys.ts');
    const { formatSummaryTable } = await import('../shared/key-enforcement/index.ts');
    const summary = await handler({}, lambdaContext('enforceKeys'));
    say(formatSummaryTable(summary));
    say('');
    say('Not listed: keys with nothing due (fresh keys, inactive keys still in their grace period).');

    say('');
    say('Running the nightly enforceConsoleAccess handler (console passwords, MFA, idle users)...');
    say('');
    const consoleAccess = await import('../functions/enforce-console-access.ts');
    const { formatConsoleAccessTable } = await import('../shared/console-access/index.ts');
    say(formatConsoleAccessTable(await consoleAccess.handler({}, lambdaContext('enforceConsoleAccess'))));
    say('');
    const mails = (await emulator.control.sentEmails()).length;
    say(
      `The emulator accepted ${mails} mail(s); a copy of each is in ${outbox} (.html to open in a browser, .eml as sent).`,
    );
    const chat = await chatInbox.received(summary.notifications.chat.posted);
    say('');
    say(`Posted to chat (${chat.length} message(s), what AWS Chatbot would show in Slack or Teams):`);
    for (const message of chat) say(`\n${chatMessageText(message.notification)}`);
    say('Run it again and nothing more changes; `npm run plan -- --at 2026-12-24` forecasts a date.');
  } finally {
    await emulator.stop();
    say('Emulator stopped.');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
