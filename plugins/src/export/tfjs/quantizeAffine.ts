import { exactAffineGrid } from './exactAffineGrid';

/** A float32 weight stored as unsigned integers `q` that tfjs-core decodes as `q · scale + min`. */
export interface AffineQuantized {
  readonly dtype: 'uint8' | 'uint16';
  /** One level per element. */
  readonly data: Uint8Array | Uint16Array;
  readonly min: number;
  readonly scale: number;
  /**
   * `'exact'`: the values already lay on a uniform grid of at most 2^bits levels, which was kept:
   * every value decodes bit for bit. `'range'`: the tfjs converter's grid over [min, max], nudged
   * so that 0 is a level; values move by at most half a step, zeros stay exactly zero.
   */
  readonly grid: 'exact' | 'range';
}

/**
 * Affine (asymmetric) quantization of one weight to uint8 or uint16, as the tfjs converter's
 * `quantize_weights` does, with one addition:
 *
 * - Like the converter, the grid is `scale = (max − min) / (2^bits − 1)` over the weight's range,
 *   and when 0 is in the range `min` is nudged to `−round(−min / scale) · scale` (rounding half to
 *   even, as numpy), so 0 is a level. tfjs-core decodes in float64, `z · scale + (−(z · scale))`,
 *   which is exactly 0: pruned weights stay exactly zero. A constant weight is stored as level 0
 *   with `min` = the value and `scale` 1, as the converter does.
 * - Porting note: when the weight's distinct values already lie on a uniform grid that fits in the
 *   levels (see {@link exactAffineGrid}), that grid is used instead, so a weight that quantization-
 *   aware training put on a per-tensor int8 grid is exported without any further error. The
 *   converter would re-quantize it onto its min/max grid, moving values by up to half a step.
 *
 * The converter computes the levels in float32 or float64 depending on the numpy version; this
 * uses float64 (numpy 2), which can differ from numpy 1 only on exact rounding ties.
 *
 * @param values finite float32 values (the caller rejects NaN and ±Infinity with the weight's name).
 */
export function quantizeAffine(values: Float32Array, dtype: 'uint8' | 'uint16'): AffineQuantized {
  const levelCount = dtype === 'uint8' ? 256 : 65536;
  const data = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  const exact = exactGridOf(values, levelCount);
  if (exact) {
    for (let i = 0; i < values.length; i++) data[i] = exact.levelOf.get(values[i])!;
    return { dtype, data, min: exact.min, scale: exact.scale, grid: 'exact' };
  }
  const { min, scale } = rangeGrid(values, levelCount - 1);
  const qmax = levelCount - 1;
  for (let i = 0; i < values.length; i++) {
    const q = roundHalfEven((values[i] - min) / scale);
    data[i] = q < 0 ? 0 : q > qmax ? qmax : q;
  }
  return { dtype, data, min, scale, grid: 'range' };
}

/** The converter's `_get_affine_quantization_range`, plus its single-value case. */
function rangeGrid(values: Float32Array, qmax: number): { min: number; scale: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  if (values.length === 0 || lo === hi) return { min: values.length === 0 ? 0 : lo, scale: 1 };
  const scale = (hi - lo) / qmax;
  if (lo <= 0 && 0 <= hi) {
    const zeroLevel = roundHalfEven(-lo / scale);
    return { min: -zeroLevel * scale, scale };
  }
  return { min: lo, scale };
}

/** The exact grid of `values` and a value → level map, when there is one. */
function exactGridOf(values: Float32Array, levelCount: number): { min: number; scale: number; levelOf: Map<number, number> } | null {
  // Stop counting as soon as there are more distinct values than levels: the common case for
  // unconstrained weights, and it keeps this O(n) with a small set.
  const distinct = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    distinct.add(values[i]);
    if (distinct.size > levelCount) return null;
  }
  const sorted = Float64Array.from(distinct).sort();
  const grid = exactAffineGrid(sorted, levelCount);
  if (!grid) return null;
  // Map keys use SameValueZero, so −0 finds the level of 0 (and decodes to +0, which compares equal).
  const levelOf = new Map<number, number>();
  sorted.forEach((v, i) => levelOf.set(v, grid.levels[i]));
  return { min: grid.min, scale: grid.scale, levelOf };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
