/** Summary statistics of repeated timings, in the samples' unit. */
export interface Distribution {
  samples: number;
  min: number;
  median: number;
  /** Nearest-rank 95th percentile: the smallest sample at or above 95 % of them. */
  p95: number;
  max: number;
  mean: number;
}

/**
 * Summarises timing samples: median and nearest-rank 95th percentile, with min, max and mean.
 * @throws {RangeError} when there are no samples.
 */
export function distribution(samples: number[]): Distribution {
  if (samples.length === 0) throw new RangeError('a distribution needs at least one sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (rank: number) => sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? at(Math.ceil(middle)) : (at(middle) + at(middle + 1)) / 2;
  return {
    samples: sorted.length,
    min: at(1),
    median,
    p95: at(Math.ceil(sorted.length * 0.95)),
    max: at(sorted.length),
    mean: sorted.reduce((total, value) => total + value, 0) / sorted.length,
  };
}
