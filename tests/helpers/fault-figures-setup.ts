import { existsSync, readFileSync, rmSync } from 'node:fs';
import { type FaultFigure, summarizeFigures } from './fault-figures.ts';

const FIGURES_FILE = new URL('../../out/fault-figures.jsonl', import.meta.url);

/**
 * Global setup of the fault project: each run of the suite writes its figures afresh
 * (out/fault-figures.jsonl), and prints a table of them at the end.
 */
export default function setup(): () => void {
  rmSync(FIGURES_FILE, { force: true });
  return () => {
    if (!existsSync(FIGURES_FILE)) return;
    const figures = readFileSync(FIGURES_FILE, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FaultFigure);
    console.log(`\nFault figures (out/fault-figures.jsonl):\n${summarizeFigures(figures)}\n`);
  };
}
