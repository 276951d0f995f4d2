const WIDTH = 30;

/**
 * A progress bar for `label` on a terminal, redrawn in place; elsewhere (CI logs, pipes) one line when done.
 * Returns the function to call with each step's progress.
 */
export function progressBar(
  label: string,
  stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
): (done: number, total: number) => void {
  const started = performance.now();
  return (done, total) => {
    const finished = done >= total;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (!stream.isTTY) {
      if (finished) stream.write(`${label}: ${total}/${total} in ${seconds} s\n`);
      return;
    }
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
    stream.write(`\r${label} [${bar}] ${done}/${total} ${seconds} s${finished ? '\n' : ''}`);
  };
}
