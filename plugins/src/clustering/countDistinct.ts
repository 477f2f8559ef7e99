/** Which values {@link countDistinct} counts. */
export type DistinctFilter = 'all' | 'nonZero' | 'negative' | 'positive';

/**
 * Number of distinct values in `values` (finite; `-0` and `+0` are one value), counting no
 * further than `limit` — so checking "at least k distinct values" stops after k of them.
 *
 * Why not a `Set<number>`: this runs for every clustered tensor and every channel of a
 * per-channel clustering; an open-addressing table over the float32 bit patterns is several
 * times faster and allocates one small typed array (2·limit entries) instead of boxed numbers.
 *
 * @param limit Stop counting here (integer >= 0); the table has about 2·limit slots.
 * @param filter Count only non-zero, negative or positive values. Default `'all'`.
 */
export function countDistinct(values: Float32Array, limit: number, filter: DistinctFilter = 'all'): number {
  const cap = Math.min(limit, values.length);
  if (cap <= 0) return 0;
  let size = 16;
  while (size < 2 * cap) size *= 2;
  const mask = size - 1;
  const shift = 32 - Math.log2(size);
  // 0xffffffff is a NaN pattern, which never occurs in validated weights: it marks empty slots.
  const table = new Uint32Array(size).fill(0xffffffff);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (filter !== 'all') {
      if (filter === 'nonZero' ? v === 0 : filter === 'negative' ? !(v < 0) : !(v > 0)) continue;
    }
    const key = v === 0 ? 0 : bits[i];
    let h = Math.imul(key, 0x9e3779b1) >>> shift;
    for (;;) {
      const slot = table[h];
      if (slot === key) break;
      if (slot === 0xffffffff) {
        table[h] = key;
        if (++count >= cap) return count;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return count;
}
