/**
 * Sparsity and distinct-value count of one weight tensor, as exporters report them per layer.
 * @group Export
 */
export interface WeightStats {
  /** Number of elements. */
  readonly size: number;
  /** Fraction of elements that are exactly zero. */
  readonly sparsity: number;
  /** Number of distinct values (per tensor). */
  readonly distinct: number;
  /** Largest number of distinct values in one output channel, when `channels` was given. */
  readonly distinctPerChannel?: number;
}

/**
 * Counts zeros and distinct values of `values` (any numeric array: float weights, or int8 data
 * read back from a file). With `channels`, element `i` belongs to channel `i % channels`
 * (channels-last layouts), and the per-channel maximum is reported too. Sorting typed copies
 * keeps this O(n log n) without per-value hashing (MobileNet-size kernels in milliseconds).
 * @group Export
 */
export function weightStats(values: ArrayLike<number>, channels?: number): WeightStats {
  const n = values.length;
  let zeros = 0;
  const all = Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < n; i++) if (all[i] === 0) zeros++;
  const stats: WeightStats = { size: n, sparsity: n === 0 ? 0 : zeros / n, distinct: countDistinct(all) };
  if (!channels) return stats;
  const per = Math.ceil(n / channels);
  const slice = new Float64Array(per);
  let most = 0;
  for (let c = 0; c < channels; c++) {
    let m = 0;
    for (let i = c; i < n; i += channels) slice[m++] = values[i];
    most = Math.max(most, countDistinct(slice.subarray(0, m)));
  }
  return { ...stats, distinctPerChannel: most };
}

/** Distinct values of `a` (sorted in place); -0 and 0 count as one. */
function countDistinct(a: Float64Array): number {
  if (a.length === 0) return 0;
  a.sort();
  let count = 1;
  for (let i = 1; i < a.length; i++) if (a[i] !== a[i - 1]) count++;
  return count;
}
