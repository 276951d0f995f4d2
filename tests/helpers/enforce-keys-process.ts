// Runs the real enforceKeys handler once in a process of its own, as a Lambda sandbox would, with the
// settings of the environment; prints the summary as one JSON line. The fault tests kill this process
// mid-run (SIGKILL, as a Lambda timeout ends a sandbox) and run the handler again.
import { lambdaContext } from '../../scripts/local-invoke.ts';

const { handler } = await import('../../functions/enforce-keys.ts');
const summary = await handler({}, lambdaContext('enforceKeys'));
process.stdout.write(`${JSON.stringify(summary)}\n`);
