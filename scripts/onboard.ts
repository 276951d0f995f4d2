/**
 * `npm run onboard -- --data '{...}'`: runs the real onboardUser handler against whatever account the AWS
 * settings point at (a real account, or the emulator through AWS_ENDPOINT_URL) and prints the result
 * readably. The settings (SELF_SERVICE_POLICY_ARN, SENDER_EMAIL, ...) are read from the environment as
 * the function reads them.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { lambdaContext } from './local-invoke.ts';

const USAGE = `Usage: npm run onboard -- --data '<json>' | --file <request.json> [--json]

  --data <json>   one user {"userName": "jane.doe", "email": "jane.doe@example.com", "groups": ["developers"],
                  "tags": {"team": "data"}} or a batch {"users": [...]} of at most 10
  --file <path>   the same, read from a file
  --json          print the handler's result as JSON instead of the readable summary
  --help          show this help

The account is the one your AWS settings point at (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...).
SELF_SERVICE_POLICY_ARN is required. ALLOWED_GROUPS and ALLOWED_TAG_KEYS name the groups and tag keys a
request may use (none when unset); see the README for the other settings.`;

async function main(): Promise<number> {
  let args: { data?: string; file?: string; json?: boolean; help?: boolean };
  try {
    args = parseArgs({
      options: {
        data: { type: 'string' },
        file: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ((args.data === undefined) === (args.file === undefined)) {
    process.stderr.write(`Give the request with exactly one of --data and --file.\n\n${USAGE}\n`);
    return 2;
  }
  const text = args.data ?? (await readFile(args.file as string, 'utf8'));
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error: unknown) {
    process.stderr.write(
      `The request is not JSON: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  // The service's JSON log lines would bury the summary; warnings and errors still show.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { handler } = await import('../functions/onboard-user.ts');
  const { formatOnboardingResult } = await import('../shared/onboarding/index.ts');
  const result = await handler(event, lambdaContext('onboardUser'));
  process.stdout.write(`${args.json ? JSON.stringify(result, null, 2) : formatOnboardingResult(result)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const description = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`onboarding failed: ${description}\n`);
    process.exitCode = 1;
  },
);
