/** Median, 95th percentile (nearest rank), extremes and count of a sample. */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

/**
 * Summarises a sample of timings.
 * @throws Error on an empty sample.
 */
export function summarise(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('nothing to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = (q: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { n, min: sorted[0]!, median, p95: rank(0.95), max: sorted[n - 1]! };
}
