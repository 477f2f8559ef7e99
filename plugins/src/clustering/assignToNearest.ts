import { CentroidBoundaries } from './CentroidBoundaries';

/**
 * Assigns every weight to its nearest centroid in O(n log k): centroids are sorted once and
 * each weight is located among the midpoints between neighbouring centroids by binary search
 * (O(1) on average through a bucket table; no O(n·k) distance matrix).
 *
 * Tie-breaking matches `tf.argmin(|w - c|)` over the original centroid order (what TFMOT uses):
 * a weight exactly halfway between two centroids, or equal to a duplicated centroid value, gets
 * the smallest original index among the equally near centroids. See `CentroidBoundaries`.
 *
 * @param weights Values to assign (finite; NaN/±Infinity throw with their index).
 * @param centroids Centroids in their original order (finite, at least one).
 * @param out Optional output buffer of length `weights.length`, reused to avoid allocation.
 * @returns For each weight, the index into `centroids` (original order) of its nearest centroid.
 * @group Clustering algorithms
 */
export function assignToNearest(
  weights: Float32Array,
  centroids: ArrayLike<number>,
  out?: Int32Array,
): Int32Array {
  const n = weights.length;
  if (out !== undefined && out.length !== n) {
    throw new RangeError(`assignToNearest: out has length ${out.length}, expected ${n} (weights.length)`);
  }
  const result = out ?? new Int32Array(n);
  const bounds = new CentroidBoundaries(centroids);
  const m = bounds.size;
  const originalIndex = bounds.originalIndex;
  if (m === 1) {
    checkFinite(weights);
    result.fill(originalIndex[0]);
    return result;
  }
  const { thresholds: t, low, scale, last, below } = bounds.bucketTable();
  for (let i = 0; i < n; i++) {
    const x = weights[i];
    if (x - x !== 0) throw notFinite(i, x);
    const f = (x - low) * scale;
    const b = f < 0 ? 0 : f >= last ? last : f | 0;
    let p = below[b];
    let q = below[b + 1];
    if (q - p > 4) {
      while (p < q) {
        const mid = (p + q) >>> 1;
        if (x > t[mid]) p = mid + 1;
        else q = mid;
      }
    }
    // Usually neither walk runs: buckets are ~16x finer than the threshold spacing.
    while (x > t[p]) p++;
    while (p > 0 && !(x > t[p - 1])) p--;
    result[i] = originalIndex[p];
  }
  return result;
}

function checkFinite(weights: Float32Array): void {
  for (let i = 0; i < weights.length; i++) {
    const x = weights[i];
    if (x - x !== 0) throw notFinite(i, x);
  }
}

function notFinite(i: number, x: number): RangeError {
  return new RangeError(`weights[${i}] is ${x}; clustering needs finite weights`);
}
