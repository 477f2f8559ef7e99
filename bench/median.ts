/** Median of a non-empty list (mean of the middle two for even lengths): benchmarks report medians, robust to a slow outlier. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
