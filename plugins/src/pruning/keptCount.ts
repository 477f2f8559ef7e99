const f32 = Math.fround;

/**
 * Number of weights an element-wise magnitude mask keeps: `k = max(round(n * (1 - s)), 1)`,
 * computed as TFMOT does it — `n` and `1 - s` in float32, their product rounded to float32, then
 * rounded half to even (`tf.math.round`) — so that `k` agrees with TFMOT at every boundary, e.g.
 * 0.5 sparsity on 5 weights keeps 2 (2.5 rounds to 2) and on 7 weights keeps 4 (3.5 rounds to 4).
 * At least one weight always survives.
 *
 * @param size - number of weights `n` (>= 1).
 * @param sparsity - target fraction of zeros `s` in [0, 1].
 * @returns `k`, in [1, n].
 * @group Pruning masks
 */
export function keptCount(size: number, sparsity: number): number {
  const product = f32(f32(size) * f32(1 - f32(sparsity)));
  // Porting note: above 2^24 weights float32(n) can round up past n, and TF would then read past
  // the end of its sorted values; k is clamped to n instead.
  return Math.min(size, Math.max(roundHalfToEven(product), 1));
}

function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}
