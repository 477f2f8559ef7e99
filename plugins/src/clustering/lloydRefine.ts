import { CentroidBoundaries } from './CentroidBoundaries';
import { SortedWeights } from './SortedWeights';
import { validateClusteringInput } from './validateClusteringInput';

const f = Math.fround;

/** Options of {@link lloydRefine}. */
export interface LloydOptions {
  /** Maximum number of Lloyd iterations (integer >= 0). Default 100. */
  maxIterations?: number;
  /**
   * Stop when no centroid moved by more than this (absolute). Default 0: iterate to the exact
   * fixed point (cells, and therefore float32 means, stop changing), or `maxIterations`.
   */
  tolerance?: number;
  /**
   * Keep the centroid that is exactly 0 at exactly 0 and never re-seed it (sparsity-preserving
   * clustering). Exactly one centroid must then equal 0. Other cells never contain both signs
   * (0 itself lies in the zero centroid's cell), so no other centroid can become 0.
   */
  preserveSparsity?: boolean;
}

/** Result of {@link lloydRefine}. */
export interface LloydResult {
  /** Refined centroids, same length and order as the input (entry i refines input i). */
  centroids: Float32Array;
  /** Iterations performed (each = assign cells + update means). */
  iterations: number;
  /** True if it stopped because centroids stopped moving (within `tolerance`). */
  converged: boolean;
}

/**
 * k-means (Lloyd) refinement of 1-D centroids — TFMOT has none (it fine-tunes right after init).
 *
 * Fast 1-D Lloyd: the data is sorted once (`SortedWeights`, reusable from k-means++); each
 * iteration finds the cell boundaries by binary search on the sorted data (cells follow exactly
 * the tie rule of `assignToNearest`) and sets every centroid to the mean of its cell from
 * prefix sums — O(k log n) per iteration after the sort, no pass over the data.
 *
 * Means are rounded to float32 (the weights' precision). The within-cluster squared error never
 * increases from one iteration to the next (up to float rounding).
 *
 * Empty clusters (a centroid no weight is nearest to, including duplicated centroid values, e.g.
 * from DENSITY_BASED init with many clusters): each is re-seeded at the weight farthest from its
 * (updated) centroid among values that are not already centroids — the largest single
 * contributor to the error — which can only lower the error and keeps all k clusters in use
 * when the data has at least k distinct values. If no such weight exists (every weight already
 * sits on a centroid), the empty centroid stays where it is.
 *
 * @param weights The weights, or a `SortedWeights` to reuse an existing sort.
 * @param centroids Initial centroids (finite); not modified.
 * @group Clustering algorithms
 */
export function lloydRefine(
  weights: Float32Array | SortedWeights,
  centroids: ArrayLike<number>,
  options: LloydOptions = {},
): LloydResult {
  const k = centroids.length;
  if (k < 1) throw new RangeError('centroids is empty; need at least one centroid');
  const sorted = weights instanceof SortedWeights ? weights : null;
  // k = 1 here: only the weights themselves (non-empty, finite) need checking.
  validateClusteringInput(sorted ? sorted.values : (weights as Float32Array), 1);
  const maxIterations = options.maxIterations ?? 100;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(`lloydRefine: options.maxIterations must be an integer >= 0, got ${maxIterations}`);
  }
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new RangeError(`lloydRefine: options.tolerance must be a finite number >= 0, got ${tolerance}`);
  }
  const current = new Float32Array(k);
  for (let i = 0; i < k; i++) {
    const c = centroids[i];
    if (typeof c !== 'number' || c - c !== 0) {
      throw new RangeError(`centroids[${i}] is ${c}; centroids must be finite numbers`);
    }
    current[i] = c;
  }
  let pinned = -1;
  if (options.preserveSparsity) {
    for (let i = 0; i < k; i++) {
      if (current[i] === 0) {
        if (pinned >= 0) {
          throw new RangeError(
            `lloydRefine: preserveSparsity needs exactly one zero centroid, but centroids[${pinned}] ` +
              `and centroids[${i}] are both 0`,
          );
        }
        pinned = i;
      }
    }
    if (pinned < 0) {
      throw new RangeError('lloydRefine: preserveSparsity needs exactly one zero centroid, but none is 0');
    }
    current[pinned] = 0; // normalise -0
  }

  const data = sorted ?? SortedWeights.from(weights as Float32Array);
  const s = data.values;
  const n = data.length;
  const next = new Float32Array(k);
  const owned = new Uint8Array(k);
  const cellStart = new Int32Array(k + 1);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const bounds = new CentroidBoundaries(current);
    const m = bounds.size;
    next.set(current);
    owned.fill(0);
    let empty = false;
    let lo = 0;
    for (let q = 0; q < m; q++) {
      const hi = q === m - 1 ? n : bounds.boundaryIndex(s, q, lo, n);
      const idx = bounds.originalIndex[q];
      cellStart[q] = lo;
      if (hi > lo) {
        owned[idx] = 1;
        next[idx] = idx === pinned ? 0 : f(data.mean(lo, hi));
      } else if (idx !== pinned) {
        empty = true;
      }
      lo = hi;
    }
    cellStart[m] = n;
    if (empty || m < k) reseedEmpty(next, owned, pinned, bounds, cellStart, s);
    let moved = 0;
    for (let i = 0; i < k; i++) moved = Math.max(moved, Math.abs(next[i] - current[i]));
    current.set(next);
    if (moved <= tolerance) {
      converged = true;
      break;
    }
  }
  return { centroids: current, iterations, converged };
}

/**
 * Moves every empty centroid (other than the pinned zero) onto the weight with the largest
 * squared distance to its updated centroid, largest first, skipping values that are already
 * centroids. Within a cell the farthest weights are its two ends, so only those are candidates.
 */
function reseedEmpty(
  next: Float32Array,
  owned: Uint8Array,
  pinned: number,
  bounds: CentroidBoundaries,
  cellStart: Int32Array,
  s: Float32Array,
): void {
  const empty: number[] = [];
  for (let i = 0; i < next.length; i++) if (!owned[i] && i !== pinned) empty.push(i);
  if (empty.length === 0) return;
  const candidates: { value: number; d2: number }[] = [];
  for (let q = 0; q < bounds.size; q++) {
    const lo = cellStart[q];
    const hi = cellStart[q + 1];
    if (hi <= lo) continue;
    const c = next[bounds.originalIndex[q]];
    candidates.push({ value: s[lo], d2: (s[lo] - c) * (s[lo] - c) });
    if (hi - 1 > lo) candidates.push({ value: s[hi - 1], d2: (s[hi - 1] - c) * (s[hi - 1] - c) });
  }
  const used = new Set<number>();
  for (let i = 0; i < next.length; i++) if (owned[i] || i === pinned) used.add(next[i] === 0 ? 0 : next[i]);
  candidates.sort((x, y) => y.d2 - x.d2);
  let e = 0;
  for (const cand of candidates) {
    if (e >= empty.length || !(cand.d2 > 0)) break;
    const v = cand.value === 0 ? 0 : cand.value;
    if (used.has(v)) continue;
    used.add(v);
    next[empty[e++]] = v;
  }
}
