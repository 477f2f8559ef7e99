/** Below this length the engine's native typed-array sort beats the radix sort's fixed passes. */
const RADIX_THRESHOLD = 4096;

/**
 * Prefix sums are kept only at every BLOCK-th position; a query adds at most 2·BLOCK values
 * directly. Why not a full prefix array: on the VMs this runs on, first-touching fresh memory
 * costs ~4 ms/MB, so three float64 prefix arrays over 4M weights (100 MB) would cost more than
 * the whole clustering; blocked sums use 1/32 of that and queries stay O(1) (≤ 64 reads).
 */
const BLOCK_SHIFT = 5;
const BLOCK = 1 << BLOCK_SHIFT;

/** Block prefix sums shared between a {@link SortedWeights} and the slices taken from it. */
interface BlockSums {
  /** Values are summed relative to `ref` (the median) to keep the sums small. */
  ref: number;
  /** Compensated sums of `v - ref` before position `b·BLOCK`: `hi[b] + lo[b]`. */
  s1hi: Float64Array;
  s1lo: Float64Array;
  /** Sums of `(v - ref)²` before position `b·BLOCK`. */
  s2: Float64Array;
}

/**
 * The weights of one clustering problem sorted ascending, with lazily built block prefix sums,
 * so that 1-D k-means questions about any contiguous run of sorted values — "their sum", "their
 * mean", "their squared distance to c" — cost O(1) after an O(n) radix sort.
 *
 * Why it exists: in 1-D every nearest-centroid cell is a contiguous run of the sorted data. Both
 * k-means++ (`kmeansPlusPlusCentroids`) and Lloyd refinement (`lloydRefine`) work on
 * cells, never on individual points, which makes them O(k log n) per step instead of O(n·k).
 * One instance can be shared by both, and by the two sides of a sparsity-preserving split
 * (through {@link SortedWeights.slice}), so the data is sorted once.
 *
 * Numerics: sums are taken relative to the median, short runs are summed directly and block sums
 * are compensated (Neumaier), so cell means are accurate far below float32 resolution even for
 * tiny cells of a 4M-weight tensor.
 */
export class SortedWeights {
  /** The values in ascending order (`-0` sorts before `+0`; both are zero). */
  readonly values: Float32Array;

  /** Root storage: `values` is `root.subarray(offset, offset + length)`. */
  private readonly root: Float32Array;
  private readonly offset: number;
  /** Holder of the shared block sums (the instance created by `from`/`fromSorted`). */
  private readonly owner: SortedWeights | undefined;
  private sums: BlockSums | undefined;

  private constructor(root: Float32Array, offset: number, length: number, owner?: SortedWeights) {
    this.root = root;
    this.offset = offset;
    this.values = offset === 0 && length === root.length ? root : root.subarray(offset, offset + length);
    this.owner = owner;
  }

  /**
   * Sorts a copy of `weights` (which is left untouched). Values must be finite; callers validate
   * first (see `validateClusteringInput`).
   */
  static from(weights: Float32Array): SortedWeights {
    const sorted =
      weights.length < RADIX_THRESHOLD ? Float32Array.from(weights).sort() : radixSortFloat32(weights);
    return new SortedWeights(sorted, 0, sorted.length);
  }

  /**
   * Wraps values that are already sorted ascending (checked in O(n); throws naming the first
   * out-of-order position). The array is used as is, not copied.
   */
  static fromSorted(values: Float32Array): SortedWeights {
    for (let i = 1; i < values.length; i++) {
      if (!(values[i - 1] <= values[i])) {
        throw new RangeError(
          `SortedWeights.fromSorted: values must be ascending, but values[${i - 1}] = ` +
            `${values[i - 1]} > values[${i}] = ${values[i]}`,
        );
      }
    }
    return new SortedWeights(values, 0, values.length);
  }

  /** Number of values. */
  get length(): number {
    return this.values.length;
  }

  /**
   * A view of sorted positions `[lo, hi)` that shares storage and prefix sums with this one —
   * e.g. the negative and positive sides of a sparsity-preserving split.
   */
  slice(lo: number, hi: number): SortedWeights {
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && 0 <= lo && lo <= hi && hi <= this.length)) {
      throw new RangeError(`SortedWeights.slice: need 0 <= lo <= hi <= ${this.length}, got [${lo}, ${hi})`);
    }
    return new SortedWeights(this.root, this.offset + lo, hi - lo, this.owner ?? this);
  }

  /** First index `i` in `[lo, hi)` with `values[i] > x` (`hi` if none). O(log n). */
  upperBound(x: number, lo = 0, hi = this.values.length): number {
    const v = this.values;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index `i` in `[lo, hi)` with `values[i] >= x` (`hi` if none). O(log n). */
  lowerBound(x: number, lo = 0, hi = this.values.length): number {
    const v = this.values;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** `Σ values[i]` for `i` in `[lo, hi)`. O(1). */
  sum(lo: number, hi: number): number {
    if (hi <= lo) return 0;
    const s = this.blockSums();
    return this.centredSum(s, this.offset + lo, this.offset + hi) + (hi - lo) * s.ref;
  }

  /** Mean of `values[lo..hi)`; requires `hi > lo`. O(1). */
  mean(lo: number, hi: number): number {
    const s = this.blockSums();
    return this.centredSum(s, this.offset + lo, this.offset + hi) / (hi - lo) + s.ref;
  }

  /** `Σ (values[i] - c)²` for `i` in `[lo, hi)`, clamped at 0 against rounding. O(1). */
  squaredDistanceSum(lo: number, hi: number, c: number): number {
    if (hi <= lo) return 0;
    const s = this.blockSums();
    const a = this.offset + lo;
    const b = this.offset + hi;
    const d = c - s.ref;
    let r: number;
    if (b - a <= 2 * BLOCK) {
      // Short runs directly: exact to rounding of the run itself, no cancellation.
      const v = this.root;
      r = 0;
      for (let i = a; i < b; i++) {
        const e = v[i] - c;
        r += e * e;
      }
      return r;
    }
    const s1 = this.centredSum(s, a, b);
    const s2 = this.centredSquareSum(s, a, b);
    r = s2 - 2 * d * s1 + (b - a) * d * d;
    return r > 0 ? r : 0;
  }

  /** Number of distinct values, counting no further than `limit` (default: all). O(n). */
  countDistinct(limit = Infinity): number {
    const v = this.values;
    if (v.length === 0) return 0;
    let count = 1;
    for (let i = 1; i < v.length && count < limit; i++) if (v[i] !== v[i - 1]) count++;
    return count;
  }

  /** Σ (root[i] - ref) over root positions [a, b). */
  private centredSum(s: BlockSums, a: number, b: number): number {
    const v = this.root;
    const ref = s.ref;
    let direct = 0;
    if (b - a <= 2 * BLOCK) {
      for (let i = a; i < b; i++) direct += v[i] - ref;
      return direct;
    }
    // prefix(b) - prefix(a), each prefix = block sum + the partial block summed directly.
    const ba = a >>> BLOCK_SHIFT;
    const bb = b >>> BLOCK_SHIFT;
    for (let i = bb << BLOCK_SHIFT; i < b; i++) direct += v[i] - ref;
    for (let i = ba << BLOCK_SHIFT; i < a; i++) direct -= v[i] - ref;
    return s.s1hi[bb] - s.s1hi[ba] + (s.s1lo[bb] - s.s1lo[ba]) + direct;
  }

  /** Σ (root[i] - ref)² over root positions [a, b), b - a > 2·BLOCK. */
  private centredSquareSum(s: BlockSums, a: number, b: number): number {
    const v = this.root;
    const ref = s.ref;
    const ba = a >>> BLOCK_SHIFT;
    const bb = b >>> BLOCK_SHIFT;
    let direct = 0;
    for (let i = bb << BLOCK_SHIFT; i < b; i++) {
      const e = v[i] - ref;
      direct += e * e;
    }
    for (let i = ba << BLOCK_SHIFT; i < a; i++) {
      const e = v[i] - ref;
      direct -= e * e;
    }
    return s.s2[bb] - s.s2[ba] + direct;
  }

  private blockSums(): BlockSums {
    if (this.sums) return this.sums;
    this.sums = this.owner ? this.owner.blockSums() : buildBlockSums(this.root);
    return this.sums;
  }
}

function buildBlockSums(v: Float32Array): BlockSums {
  const n = v.length;
  const ref = n > 0 ? v[n >>> 1] : 0;
  const blocks = (n >>> BLOCK_SHIFT) + 1;
  const s1hi = new Float64Array(blocks);
  const s1lo = new Float64Array(blocks);
  const s2 = new Float64Array(blocks);
  let hi = 0;
  let lo = 0;
  let sq = 0;
  for (let b = 1; b < blocks; b++) {
    let block = 0;
    let blockSq = 0;
    const end = b << BLOCK_SHIFT;
    for (let i = end - BLOCK; i < end; i++) {
      const x = v[i] - ref;
      block += x;
      blockSq += x * x;
    }
    // Neumaier summation over block totals: carry each addition's rounding error in `lo`.
    const t = hi + block;
    lo += Math.abs(hi) >= Math.abs(block) ? hi - t + block : block - t + hi;
    hi = t;
    sq += blockSq;
    s1hi[b] = hi;
    s1lo[b] = lo;
    s2[b] = sq;
  }
  return { ref, s1hi, s1lo, s2 };
}

/**
 * LSD radix sort of float32 values by their bit patterns (3 passes of 11/11/10 bits), O(n),
 * about 3x faster than the native typed-array sort for millions of values. Flipping all bits of
 * negatives and the sign bit of non-negatives makes unsigned order equal float order (so -0 sorts
 * just before +0, as the native sort does).
 */
function radixSortFloat32(input: Float32Array): Float32Array {
  const n = input.length;
  const keys = new Uint32Array(n);
  keys.set(new Uint32Array(input.buffer, input.byteOffset, n));
  const c0 = new Uint32Array(2048);
  const c1 = new Uint32Array(2048);
  const c2 = new Uint32Array(1024);
  for (let i = 0; i < n; i++) {
    const b = keys[i];
    const k = (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
    keys[i] = k;
    c0[k & 2047]++;
    c1[(k >>> 11) & 2047]++;
    c2[k >>> 22]++;
  }
  exclusiveScan(c0);
  exclusiveScan(c1);
  exclusiveScan(c2);
  const tmp = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    tmp[c0[k & 2047]++] = k;
  }
  for (let i = 0; i < n; i++) {
    const k = tmp[i];
    keys[c1[(k >>> 11) & 2047]++] = k;
  }
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    tmp[c2[k >>> 22]++] = k;
  }
  for (let i = 0; i < n; i++) {
    const k = tmp[i];
    tmp[i] = k & 0x80000000 ? k & 0x7fffffff : ~k >>> 0;
  }
  return new Float32Array(tmp.buffer);
}

function exclusiveScan(c: Uint32Array): void {
  let s = 0;
  for (let j = 0; j < c.length; j++) {
    const t = c[j];
    c[j] = s;
    s += t;
  }
}
