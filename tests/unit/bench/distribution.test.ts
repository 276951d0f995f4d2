import { describe, expect, it } from 'vitest';
import { distribution } from '../../../scripts/bench/distribution.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('distribution', () => {
  it.each([
    ['one sample', [7], { samples: 1, min: 7, median: 7, p95: 7, max: 7, mean: 7 }],
    ['an odd count, unsorted', [3, 1, 2], { samples: 3, min: 1, median: 2, p95: 3, max: 3, mean: 2 }],
    ['an even count', [4, 1, 3, 2], { samples: 4, min: 1, median: 2.5, p95: 4, max: 4, mean: 2.5 }],
    [
      '20 samples',
      range(1, 20).reverse(),
      { samples: 20, min: 1, median: 10.5, p95: 19, max: 20, mean: 10.5 },
    ],
    ['100 samples', range(1, 100), { samples: 100, min: 1, median: 50.5, p95: 95, max: 100, mean: 50.5 }],
  ])('summarises %s with the median and the nearest-rank 95th percentile', (_, samples, expected) => {
    expect(distribution(samples)).toEqual(expected);
  });

  it('leaves the samples in their order', () => {
    const samples = [3, 1, 2];
    distribution(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses an empty list', () => {
    expect(() => distribution([])).toThrow(RangeError);
  });
});
