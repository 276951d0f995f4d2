import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../../shared/organization/index.ts';

/** A task that waits until the test lets it finish, counting how many run at once. */
function gate() {
  let running = 0;
  let peak = 0;
  const waiting: (() => void)[] = [];
  const task = async (item: number) => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise<void>((resolve) => waiting.push(resolve));
    running -= 1;
    return item * 10;
  };
  const releaseAll = async () => {
    // Release one waiting task at a time until all are done; each release may start another.
    while (waiting.length > 0) {
      waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { task, releaseAll, peak: () => peak, waiting: () => waiting.length };
}

describe('mapWithConcurrency', () => {
  it.each([
    [1, 5],
    [3, 10],
    [10, 4],
  ])('runs at most %i at once over %i items, results in input order', async (limit, count) => {
    const { task, releaseAll, peak } = gate();
    const items = Array.from({ length: count }, (_, index) => index);

    const mapped = mapWithConcurrency(items, limit, task);
    await new Promise((resolve) => setImmediate(resolve));
    await releaseAll();

    expect(await mapped).toEqual(items.map((item) => item * 10));
    expect(peak()).toBe(Math.min(limit, count));
  });

  it('starts exactly `limit` tasks before any finishes', async () => {
    const { task, releaseAll, waiting } = gate();
    const mapped = mapWithConcurrency([1, 2, 3, 4, 5], 2, task);
    await new Promise((resolve) => setImmediate(resolve));

    expect(waiting()).toBe(2);
    await releaseAll();
    await mapped;
  });

  it('maps no items to no results', async () => {
    expect(await mapWithConcurrency([], 3, async () => 1)).toEqual([]);
  });

  it.each([[0], [1.5], [-1]])('refuses a limit of %d', async (limit) => {
    await expect(mapWithConcurrency([1], limit, async () => 1)).rejects.toThrow(RangeError);
  });
});
