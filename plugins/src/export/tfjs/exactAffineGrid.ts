/** An affine grid `q · scale + min` on which given values decode bit for bit. */
export interface ExactAffineGrid {
  /** Added after scaling; for a grid through 0 it is `−z · scale`, so level z decodes to exactly 0. */
  readonly min: number;
  readonly scale: number;
  /** Level of each input value, in the order given. */
  readonly levels: Uint32Array;
}

// Tolerance on "is an integer number of steps": float32 storage moves a grid value by at most
// 2^-24 relative, far below this for grids of up to 2^16 levels refined as below; clustered
// (irregular) values miss it by a wide margin.
const INTEGRALITY = 0.01;
// Largest divisor of the smallest gap tried as the step: gaps 2s and 3s imply step s.
const MAX_DIVISOR = 16;

/**
 * Finds an affine grid of at most `levelCount` levels on which every one of `sorted` (distinct
 * float32 values, ascending) decodes exactly as tfjs-core's loader computes it —
 * `Math.fround(q * scale + min)` — or returns `null` when there is none that can be found cheaply.
 *
 * Weights that some plugin already put on a uniform grid (per-tensor int8 from `quantize`,
 * clustered-and-quantized weights, pruned ones: 0 is a grid point) are exactly such values: their
 * grid is `scale · q` for a float32 `scale` and integers `q`. Storing them on that grid loses
 * nothing, where the min/max grid would move every value by up to half a step.
 *
 * The step is estimated from the smallest gap (or a small divisor of it), refined on ever larger
 * distances, then pinned to the float32 numbers next to the estimate: with a float32 scale and
 * integer levels every product is exact in float64, so the decoded value rounds exactly as the
 * original `fround(scale · q)` did. A grid through 0 is anchored there (`min = −z · scale`), so
 * an exact 0 decodes to exactly 0. Every candidate is verified value by value before it is used.
 */
export function exactAffineGrid(sorted: Float64Array, levelCount: number): ExactAffineGrid | null {
  const n = sorted.length;
  if (n === 0 || n > levelCount) return null;
  if (n === 1) return { min: sorted[0], scale: 1, levels: new Uint32Array(1) };
  let smallestGap = Infinity;
  for (let i = 1; i < n; i++) smallestGap = Math.min(smallestGap, sorted[i] - sorted[i - 1]);
  for (let divisor = 1; divisor <= MAX_DIVISOR; divisor++) {
    const steps = integerSteps(sorted, smallestGap / divisor, levelCount);
    if (!steps) continue;
    const grid = pinToFloat32(sorted, steps.levels, steps.step);
    if (grid) return grid;
  }
  return null;
}

/** Levels of `sorted` relative to its first value for a step near `step`, refining the step as it goes. */
function integerSteps(sorted: Float64Array, step: number, levelCount: number): { levels: Uint32Array; step: number } | null {
  const levels = new Uint32Array(sorted.length);
  let s = step;
  for (let i = 1; i < sorted.length; i++) {
    const exact = (sorted[i] - sorted[0]) / s;
    const level = Math.round(exact);
    if (level < 1 || level > levelCount - 1 || Math.abs(exact - level) > INTEGRALITY) return null;
    levels[i] = level;
    // The farthest value seen so far pins the step best: its rounding error is the smallest relative one.
    s = (sorted[i] - sorted[0]) / level;
  }
  return { levels, step: s };
}

/** Tries the float32 scales around `step` (and `step` itself); returns the first exact grid. */
function pinToFloat32(sorted: Float64Array, relative: Uint32Array, step: number): ExactAffineGrid | null {
  const first = sorted[0];
  // A grid through 0: level of 0 relative to the first value, when that is (nearly) an integer.
  const zeroExact = -first / step;
  const zero = Math.round(zeroExact);
  const throughZero = Math.abs(zeroExact - zero) <= INTEGRALITY;
  if (throughZero) {
    // Measured from 0, the value of largest magnitude pins the step to within its own float32
    // rounding (2^-24 relative); distances between values far from 0 carry the rounding of both.
    const far = Math.abs(sorted[0]) >= Math.abs(sorted[sorted.length - 1]) ? 0 : sorted.length - 1;
    const level = relative[far] - zero;
    if (level !== 0) step = sorted[far] / level;
  }
  for (const scale of float32Neighbours(step)) {
    const min = throughZero ? -(zero * scale) : first;
    let ok = true;
    for (let i = 0; i < sorted.length && ok; i++) ok = Math.fround(relative[i] * scale + min) === sorted[i];
    if (ok) return { min, scale, levels: relative };
  }
  return null;
}

function float32Neighbours(x: number): number[] {
  const f = new Float32Array([x]);
  const bits = new Int32Array(f.buffer);
  const base = bits[0];
  const out = [x];
  for (const d of [0, -1, 1, -2, 2, -3, 3]) {
    bits[0] = base + d;
    if (f[0] > 0 && Number.isFinite(f[0])) out.push(f[0]);
  }
  return out;
}
