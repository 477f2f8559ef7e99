/**
 * The nearest-centroid rule for 1-D data, precomputed from a centroid vector: the distinct
 * centroid values sorted, and one threshold per pair of neighbours such that a weight `x`
 * belongs right of boundary `j` exactly when `x > thresholds[j]`. Locating a weight is then a
 * search over `m - 1` thresholds — O(log k), and O(1) on average through a bucket table (see
 * {@link CentroidBoundaries.bucketTable}) — instead of a scan over all `k` centroids.
 *
 * Tie-breaking (identical to `tf.argmin(|w - c|)` over the original centroid order, which TFMOT
 * uses for its pulling indices):
 * - a weight exactly halfway between two neighbouring centroid values goes to the one with the
 *   smaller original index (its threshold is the midpoint, or the double just below it);
 * - centroids with equal values (duplicates; `-0` equals `0`) are one candidate represented by
 *   the smallest original index among them, so the others receive no weights.
 * Midpoints are computed in float64, where the midpoint of two float32 values is exact unless
 * their magnitudes differ by more than 2^29.
 *
 * Shared by `assignToNearest` and `lloydRefine` so that refinement optimises exactly
 * the assignment that is used afterwards.
 */
export class CentroidBoundaries {
  /** Distinct centroid values, ascending (length `m <= k`). */
  readonly sortedValues: Float64Array;
  /** For each entry of `sortedValues`, the smallest original index holding that value. */
  readonly originalIndex: Int32Array;
  /** `m - 1` non-decreasing thresholds: `x` is right of boundary `j` iff `x > thresholds[j]`. */
  readonly thresholds: Float64Array;

  /**
   * @param centroids Centroid values in their original order; at least one, all finite.
   * @throws RangeError naming the first non-finite centroid.
   */
  constructor(centroids: ArrayLike<number>) {
    const k = centroids.length;
    if (k === 0) throw new RangeError('centroids is empty; need at least one centroid');
    const order = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      const c = centroids[i];
      if (typeof c !== 'number' || c - c !== 0) {
        throw new RangeError(`centroids[${i}] is ${c}; centroids must be finite numbers`);
      }
      order[i] = i;
    }
    // Ties by index, so the first of a run of duplicates has the lowest original index.
    order.sort((a, b) => centroids[a] - centroids[b] || a - b);
    const values: number[] = [];
    const index: number[] = [];
    for (let t = 0; t < k; t++) {
      const i = order[t];
      const c = centroids[i] === 0 ? 0 : centroids[i];
      if (values.length > 0 && values[values.length - 1] === c) continue;
      values.push(c);
      index.push(i);
    }
    const m = values.length;
    this.sortedValues = Float64Array.from(values);
    this.originalIndex = Int32Array.from(index);
    this.thresholds = new Float64Array(Math.max(0, m - 1));
    for (let j = 0; j + 1 < m; j++) {
      const mid = (values[j] + values[j + 1]) / 2;
      // A weight equal to the midpoint goes right iff the right centroid has the smaller index;
      // for doubles, `x >= mid` is `x > previousDouble(mid)`, so one comparison decides.
      let t = index[j + 1] < index[j] ? previousDouble(mid) : mid;
      if (j > 0 && t < this.thresholds[j - 1]) t = this.thresholds[j - 1];
      this.thresholds[j] = t;
    }
  }

  /** Number of distinct centroid values `m`. */
  get size(): number {
    return this.sortedValues.length;
  }

  /** Position in `sortedValues` of the centroid nearest to `x`, by binary search. O(log k). */
  locate(x: number): number {
    const t = this.thresholds;
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x > t[mid]) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * For data sorted ascending, the first index in `[lo, hi)` whose value lies right of boundary
   * `j` (belongs to a centroid position greater than `j`); `hi` if none. O(log n).
   */
  boundaryIndex(sorted: ArrayLike<number>, j: number, lo: number, hi: number): number {
    const b = this.thresholds[j];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= b) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * A bucket table for locating many weights fast (see {@link BucketTable}): the threshold range
   * is cut into ~16 equal buckets per threshold, and each bucket records how many thresholds lie
   * strictly below its lower edge. A weight then needs one multiply, two table reads and,
   * typically, a single comparison. A bucket holding many thresholds (very uneven centroids) is
   * binary-searched, so the worst case stays O(log k); a short correction walk fixes the rare
   * weight whose bucket was misjudged by rounding, so results are always exactly those of
   * {@link CentroidBoundaries.locate}. Built in O(k + buckets).
   */
  bucketTable(): BucketTable {
    const t = this.thresholds;
    const nt = t.length;
    const padded = new Float64Array(nt + 1);
    padded.set(t);
    padded[nt] = Infinity;
    let buckets = 16;
    while (buckets < 16 * nt && buckets < 1 << 16) buckets *= 2;
    const low = nt > 0 ? t[0] : 0;
    const span = nt > 0 ? t[nt - 1] - low : 0;
    // A zero or non-finite span (one threshold, or huge magnitudes) degrades to one bucket.
    const scale = span > 0 && Number.isFinite(buckets / span) ? buckets / span : 0;
    if (scale === 0) buckets = 1;
    const below = new Int32Array(buckets + 1);
    let p = 0;
    for (let b = 1; b < buckets; b++) {
      const edge = low + b / scale;
      while (p < nt && t[p] < edge) p++;
      below[b] = p;
    }
    below[buckets] = nt;
    return { thresholds: padded, count: nt, low, scale, last: buckets - 1, below };
  }
}

/**
 * Lookup table from {@link CentroidBoundaries.bucketTable}. To locate `x`:
 * `f = (x - low) * scale`, bucket `b = clamp(floor(f), 0, last)`; the position lies in
 * `[below[b], below[b + 1]]` (binary-search that range when it is wide, i.e. thresholds are very
 * unevenly spaced), then walk `p` forward while `x > thresholds[p]` and backward while
 * `p > 0 && x <= thresholds[p - 1]` to correct a bucket misjudged by rounding.
 */
export interface BucketTable {
  /** The thresholds followed by `+Infinity` (so the forward walk needs no bounds check). */
  thresholds: Float64Array;
  /** Number of real thresholds (`m - 1`). */
  count: number;
  /** Lower edge of bucket 0 (the first threshold). */
  low: number;
  /** Buckets per unit of weight value (0 when there is a single bucket). */
  scale: number;
  /** Index of the last bucket. */
  last: number;
  /**
   * `below[b]`: thresholds strictly below bucket `b`'s lower edge (`last + 2` entries; the final
   * one is `count`), so weights in bucket `b` have positions in `[below[b], below[b + 1]]`.
   */
  below: Int32Array;
}

/** Scratch for `previousDouble`: one double viewed as two 32-bit words. */
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** Index of the low word (typed arrays use the platform's byte order). */
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;

/** The largest double strictly below `x` (x finite), by stepping its bit pattern. */
function previousDouble(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  scratch[0] = x;
  if (x > 0) {
    // Decrement the 64-bit magnitude.
    if (words[LOW] === 0) words[HIGH] -= 1;
    words[LOW] -= 1;
  } else {
    // Increment the magnitude of a negative number.
    words[LOW] += 1;
    if (words[LOW] === 0) words[HIGH] += 1;
  }
  return scratch[0];
}
