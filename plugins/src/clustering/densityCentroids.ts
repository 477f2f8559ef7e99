import { tfLinspace } from './tfLinspace';
import { validateClusteringInput } from './validateClusteringInput';
import { weightRange } from './weightRange';

const f = Math.fround;

/** Number of CDF grid points TFMOT uses ("a guess, we just need a sufficiently large number"). */
const GRID_POINTS = 30;

/** Options of {@link densityCentroids}. */
export interface DensityCentroidsOptions {
  /**
   * Margin added below the minimum and above the maximum before building the CDF grid, so the
   * CDF starts at 0 and ends at 1. TFMOT uses 0.01 (the default) and, with sparsity preservation,
   * `min(0.01, min(|min|, |max|) / 2)` so the grid never crosses zero; `initializeCentroids`
   * passes that value.
   */
  gap?: number;
}

/**
 * DENSITY_BASED centroid initialisation (TFMOT `DensityBasedCentroidsInitialisation`, CDF
 * inversion), reproduced to the bit including TF's float32 rounding:
 * 1. a 30-point grid `linspace(min - gap, max + gap, 30)`;
 * 2. the empirical CDF `count(values <= x) / n` at each grid point;
 * 3. targets `linspace(0.01, 1, k)`; for each, `i = searchsorted(cdf, y, 'right')` clipped to 29,
 *    `i' = max(0, i - 1)`;
 * 4. the centroid is `x[i]` when `cdf[i] == cdf[i']`, otherwise TFMOT's line solve through
 *    `(x[i], cdf[i])` and `(x[i'], cdf[i'])` evaluated at `y = cdf[i]` — which, as coded in TFMOT,
 *    gives back `x[i]` up to float32 rounding (its slope guard `max(x[i'] - x[i], 0.001)` always
 *    fires because the grid is increasing). The rounding is reproduced because TFMOT's goldens
 *    contain it (e.g. -0.98999995 instead of -0.99).
 *
 * Consequence kept from TFMOT: centroids are grid points, so at most 30 distinct values come out;
 * with `k > 30` (or when several targets fall in one grid step) centroids repeat. Repeated
 * centroids are harmless for assignment (ties go to the lowest index) and k-means refinement
 * re-seeds them.
 *
 * Goldens (TFMOT `clustering_centroids_test.py`): [0,1,2,3,3.1,3.2,3.3,3.4,3.5] with k = 3 gives
 * [0.11137931, 3.145862, 3.51]. O(n).
 *
 * @returns `k` centroids in ascending order.
 */
export function densityCentroids(
  values: Float32Array,
  k: number,
  options: DensityCentroidsOptions = {},
): Float32Array {
  validateClusteringInput(values, k);
  const gap = options.gap ?? 0.01;
  if (!Number.isFinite(gap) || gap < 0) {
    throw new RangeError(`densityCentroids: options.gap must be a finite number >= 0, got ${gap}`);
  }
  const { min, max } = weightRange(values);
  const g = f(gap);
  const grid = tfLinspace(f(min - g), f(max + g), GRID_POINTS);

  // counts[j] = number of values v with grid[j-1] < v <= grid[j]: bucket by the first grid point
  // that is >= v, then a running sum gives count(values <= grid[j]) exactly. The grid is
  // (nearly) uniform, so the bucket is computed and then corrected against the real grid values.
  const counts = new Float64Array(GRID_POINTS + 1);
  const g0 = grid[0];
  const step = (grid[GRID_POINTS - 1] - g0) / (GRID_POINTS - 1);
  const inv = step > 0 ? 1 / step : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const e = Math.ceil((v - g0) * inv);
    let j = e < 0 ? 0 : e > GRID_POINTS ? GRID_POINTS : e;
    while (j > 0 && grid[j - 1] >= v) j--;
    while (j < GRID_POINTS && grid[j] < v) j++;
    counts[j]++;
  }
  const n = f(values.length);
  const cdf = new Float32Array(GRID_POINTS);
  let running = 0;
  for (let j = 0; j < GRID_POINTS; j++) {
    running += counts[j];
    cdf[j] = f(f(running) / n);
  }

  const targets = tfLinspace(0.01, 1, k);
  const out = new Float32Array(k);
  const slopeGuard = f(0.001);
  for (let t = 0; t < k; t++) {
    const y = targets[t];
    // searchsorted(side='right'): number of cdf entries <= y (cdf is non-decreasing).
    let lo = 0;
    let hi = GRID_POINTS;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] <= y) lo = mid + 1;
      else hi = mid;
    }
    const i = Math.min(lo, GRID_POINTS - 1);
    const ip = Math.max(0, i - 1);
    const x1 = grid[i];
    const y1 = cdf[i];
    const x2 = grid[ip];
    const y2 = cdf[ip];
    if (y1 === y2) {
      out[t] = x1;
    } else {
      // TFLinearEquationSolver(x1, y1, x2, y2).solve_for_x(y1), one float32 op at a time.
      const a = f(f(y2 - y1) / Math.max(f(x2 - x1), slopeGuard));
      const b = f(y1 - f(x1 * a));
      out[t] = f(f(y1 - b) / a);
    }
  }
  return out;
}
