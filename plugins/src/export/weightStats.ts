/** Sparsity and distinct-value count of one weight tensor, as exporters report them per layer. */
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
 * (channels-last layouts), and the per-channel maximum is reported too.
 */
export function weightStats(values: ArrayLike<number>, channels?: number): WeightStats {
  let zeros = 0;
  const all = new Set<number>();
  const per = channels ? Array.from({ length: channels }, () => new Set<number>()) : null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 0) zeros++;
    all.add(v === 0 ? 0 : v);
    per?.[i % channels!].add(v === 0 ? 0 : v);
  }
  return {
    size: values.length,
    sparsity: values.length === 0 ? 0 : zeros / values.length,
    distinct: all.size,
    ...(per ? { distinctPerChannel: Math.max(0, ...per.map((s) => s.size)) } : {}),
  };
}
