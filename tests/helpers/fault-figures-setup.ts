import { rmSync } from 'node:fs';

/** Global setup of the fault project: each run of the suite writes its figures afresh. */
export default function setup(): void {
  rmSync(new URL('../../out/fault-figures.jsonl', import.meta.url), { force: true });
}
