/**
 * Minimum and maximum of a non-empty array in one pass (no spread into `Math.min`, which
 * overflows the call stack for millions of values).
 */
export function weightRange(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
