import type { RandomSource } from './RandomSource';
import { requireRandomSource } from './requireRandomSource';
import { SortedWeights } from './SortedWeights';
import { validateClusteringInput } from './validateClusteringInput';

/** Options of {@link kmeansPlusPlusCentroids}. */
export interface KmeansPlusPlusOptions {
  /** Source of randomness, e.g. `new SeededRandom(seed)`; same seed → same centroids. */
  random: RandomSource;
  /**
   * Extra candidates drawn per centre ("greedy k-means++"): `1 + retries` candidates are drawn and
   * the one that lowers the potential most is kept. Default: TFMOT's `2 + floor(ln k)`
   * (`num_retries_per_sample = -1`). `0` gives classic k-means++ (Arthur & Vassilvitskii).
   */
  retries?: number;
}

/**
 * KMEANS_PLUS_PLUS centroid initialisation (TFMOT's default; TF kernel
 * `KmeansPlusPlusInitialization`), exact in distribution but O(n + k·retries·log n) after an
 * O(n) radix sort instead of O(n·k):
 *
 * 1. First centre: `1 + retries` weights drawn uniformly; keep the one with the smallest total
 *    squared distance to all weights.
 * 2. Each next centre: `1 + retries` candidates, each drawn with probability proportional to its
 *    squared distance D² to the nearest chosen centre; keep the one that minimises the new total
 *    (first wins ties). Weights equal to a chosen centre have D² = 0 and are never drawn, so all
 *    centres are distinct data values.
 *
 * How it is fast in 1-D: on sorted data every centre's Voronoi cell is a contiguous run, and the
 * D² mass of a run is O(1) from prefix sums (`SortedWeights`). Sampling picks a cell by its
 * mass (Fenwick tree over cells, O(log k)) and then a point inside it by binary search on the
 * cumulative mass (O(log n)); evaluating a candidate only touches the run whose nearest centre
 * would change (between the midpoints to its neighbouring centres), O(log n). No per-point D²
 * array is ever materialised.
 *
 * Porting note: TF draws from Philox seeded with 9, which a TS port cannot reproduce; TFMOT's
 * kmeans++ goldens are therefore not matched value for value (tests check the statistical
 * properties instead). Here the caller's seeded {@link RandomSource} is used.
 *
 * @param weights The weights, or a `SortedWeights` to reuse an existing sort.
 * @param k Number of centroids; `1 <= k <=` number of distinct values.
 * @returns `k` distinct centroids (data values) in selection order, not sorted, as TF returns them.
 */
export function kmeansPlusPlusCentroids(
  weights: Float32Array | SortedWeights,
  k: number,
  options: KmeansPlusPlusOptions,
): Float32Array {
  const random = requireRandomSource(options?.random, 'kmeansPlusPlusCentroids');
  let sorted: SortedWeights;
  if (weights instanceof SortedWeights) {
    validateClusteringInput(weights.values, k);
    sorted = weights;
  } else {
    validateClusteringInput(weights, k);
    sorted = SortedWeights.from(weights);
  }
  const distinct = sorted.countDistinct(k);
  if (distinct < k) {
    throw new RangeError(
      `k (number of clusters) = ${k} exceeds the number of distinct values in weights ` +
        `(${distinct}); k-means++ picks distinct data values, use k <= ${distinct}`,
    );
  }
  const retries = options.retries ?? 2 + Math.floor(Math.log(k));
  if (!Number.isInteger(retries) || retries < 0) {
    throw new RangeError(`kmeansPlusPlusCentroids: options.retries must be an integer >= 0, got ${retries}`);
  }
  return new KmeansPlusPlus(sorted, k, random, retries).run();
}

/** State of one k-means++ run over sorted data. */
class KmeansPlusPlus {
  private readonly s: Float32Array;
  private readonly n: number;
  /** Chosen centres in selection order. */
  private readonly chosen: Float32Array;
  /** Chosen centres ascending, and for each its selection index. */
  private readonly sortedCentres: Float64Array;
  private readonly selectionOf: Int32Array;
  /**
   * `cellStart[q]` is the first sorted-data index of the cell of the centre at sorted position
   * `q`; `cellStart[m] = n`. Kept up to date on insertion, so cells are O(1) to look up and
   * searches for new boundaries only scan the two cells a new centre splits.
   */
  private readonly cellStart: Int32Array;
  private m = 0;
  /** D² mass of each centre's cell, by selection index, in a Fenwick tree for sampling. */
  private readonly mass: Fenwick;

  constructor(
    private readonly data: SortedWeights,
    private readonly k: number,
    private readonly random: RandomSource,
    private readonly retries: number,
  ) {
    this.s = data.values;
    this.n = data.length;
    this.chosen = new Float32Array(k);
    this.sortedCentres = new Float64Array(k);
    this.selectionOf = new Int32Array(k);
    this.cellStart = new Int32Array(k + 1);
    this.mass = new Fenwick(k);
  }

  run(): Float32Array {
    const { data, n, random } = this;
    // First centre: best of 1 + retries uniform draws by total squared distance.
    let first = 0;
    let firstCost = Infinity;
    for (let t = 0; t <= this.retries; t++) {
      const c = this.s[random.int(0, n)];
      const cost = data.squaredDistanceSum(0, n, c);
      if (cost < firstCost) {
        firstCost = cost;
        first = c;
      }
    }
    this.insert(first, 0);
    for (let j = 1; j < this.k; j++) {
      if ((j & 63) === 0) this.mass.rebuild(); // bound drift from incremental updates
      let best = NaN;
      let bestGain = -Infinity;
      for (let t = 0; t <= this.retries; t++) {
        const c = this.sampleByD2();
        const gain = this.gain(c);
        if (gain > bestGain) {
          bestGain = gain;
          best = c;
        }
      }
      this.insert(best, j);
    }
    return this.chosen;
  }

  /** Number of chosen centres strictly below `c`. */
  private rank(c: number): number {
    const sc = this.sortedCentres;
    let lo = 0;
    let hi = this.m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sc[mid] < c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sorted-data range [lo, hi) of the cell of the centre at sorted position q. */
  private cellLo(q: number): number {
    return this.cellStart[q];
  }

  private cellHi(q: number): number {
    return this.cellStart[q + 1];
  }

  /**
   * Where the cell of a new centre `c` (rank `q` among the centres) would start and end: its
   * lower boundary lies in the left neighbour's cell, its upper one in the right neighbour's.
   */
  private newCellLo(c: number, q: number): number {
    if (q === 0) return 0;
    return this.data.upperBound((this.sortedCentres[q - 1] + c) / 2, this.cellStart[q - 1], this.cellStart[q]);
  }

  private newCellHi(c: number, q: number): number {
    if (q === this.m) return this.n;
    return this.data.upperBound((c + this.sortedCentres[q]) / 2, this.cellStart[q], this.cellStart[q + 1]);
  }

  /** Decrease of the total D² if `c` (not yet a centre) became one. O(log n). */
  private gain(c: number): number {
    const q = this.rank(c);
    const lo = this.newCellLo(c, q);
    const hi = this.newCellHi(c, q);
    if (hi <= lo) return 0;
    // Weights in [lo, hi) belonged to the left neighbour up to the old boundary, then the right.
    const split = Math.min(hi, Math.max(lo, this.cellStart[q]));
    const sc = this.sortedCentres;
    const before =
      (q > 0 ? this.data.squaredDistanceSum(lo, split, sc[q - 1]) : 0) +
      (q < this.m ? this.data.squaredDistanceSum(split, hi, sc[q]) : 0);
    return before - this.data.squaredDistanceSum(lo, hi, c);
  }

  /** Adds centre `c` as selection `j` and updates the masses of its cell and its neighbours'. */
  private insert(c: number, j: number): void {
    const q = this.rank(c);
    const lo = this.newCellLo(c, q);
    const hi = this.newCellHi(c, q);
    const sc = this.sortedCentres;
    const sel = this.selectionOf;
    const start = this.cellStart;
    sc.copyWithin(q + 1, q, this.m);
    sel.copyWithin(q + 1, q, this.m);
    start.copyWithin(q + 1, q, this.m + 1);
    sc[q] = c;
    sel[q] = j;
    start[q] = lo;
    start[q + 1] = hi;
    this.m++;
    this.chosen[j] = c;
    for (let p = Math.max(0, q - 1); p <= Math.min(this.m - 1, q + 1); p++) {
      this.mass.set(sel[p], this.data.squaredDistanceSum(start[p], start[p + 1], sc[p]));
    }
  }

  /**
   * A weight drawn with probability proportional to its D² (never one with D² = 0). Rounding can
   * make a cell whose weights all equal its centre look slightly massive; such draws are rejected
   * and redrawn (as TF redraws already-chosen indices), and after many rejections the weight with
   * the largest D² is taken so the loop always ends.
   */
  private sampleByD2(): number {
    const { data, s } = this;
    for (let attempt = 0; attempt < 64; attempt++) {
      const total = this.mass.total();
      if (!(total > 0)) break;
      const j = this.mass.find(this.random.float() * total);
      const rest = this.mass.rest;
      const c = this.chosen[j];
      const q = this.rank(c);
      const lo = this.cellLo(q);
      const hi = this.cellHi(q);
      // Weights equal to c carry no mass: sample left of them or right of them.
      const eqLo = data.lowerBound(c, lo, hi);
      const eqHi = data.upperBound(c, eqLo, hi);
      const leftMass = data.squaredDistanceSum(lo, eqLo, c);
      let r = rest;
      let a: number;
      let b: number;
      if ((r < leftMass && eqLo > lo) || eqHi >= hi) {
        a = lo;
        b = eqLo;
      } else {
        r -= leftMass;
        a = eqHi;
        b = hi;
      }
      if (b <= a) continue;
      // Smallest i in [a, b) whose cumulative mass from a exceeds r.
      let x = a;
      let y = b - 1;
      while (x < y) {
        const mid = (x + y) >>> 1;
        if (data.squaredDistanceSum(a, mid + 1, c) > r) y = mid;
        else x = mid + 1;
      }
      const v = s[x];
      if (v !== c) return v;
    }
    return this.farthest();
  }

  /** The weight with the largest D² (an end of some cell). */
  private farthest(): number {
    let best = NaN;
    let bestD = -1;
    for (let q = 0; q < this.m; q++) {
      const c = this.sortedCentres[q];
      const lo = this.cellLo(q);
      const hi = this.cellHi(q);
      if (hi <= lo) continue;
      for (let e = 0; e < 2; e++) {
        const v = this.s[e === 0 ? lo : hi - 1];
        const d = (v - c) * (v - c);
        if (d > bestD) {
          bestD = d;
          best = v;
        }
      }
    }
    return best;
  }
}

/** Fenwick (binary indexed) tree of non-negative masses with weighted sampling. */
class Fenwick {
  private readonly tree: Float64Array;
  private readonly value: Float64Array;
  private readonly top: number;

  constructor(private readonly size: number) {
    this.tree = new Float64Array(size + 1);
    this.value = new Float64Array(size);
    let top = 1;
    while (top * 2 <= size) top *= 2;
    this.top = top;
  }

  set(i: number, v: number): void {
    const delta = v - this.value[i];
    this.value[i] = v;
    for (let p = i + 1; p <= this.size; p += p & -p) this.tree[p] += delta;
  }

  total(): number {
    let s = 0;
    for (let p = this.size; p > 0; p -= p & -p) s += this.tree[p];
    return s;
  }

  /** Set by `find`: `u` minus the mass before the returned index. */
  rest = 0;

  /** Index whose cumulative range contains `u` (its remainder is left in `rest`). */
  find(u: number): number {
    let pos = 0;
    let rest = u;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.size && this.tree[next] <= rest) {
        pos = next;
        rest -= this.tree[next];
      }
    }
    // Rounding can push u past the total: fall back to the last index with mass.
    if (pos >= this.size) {
      pos = this.size - 1;
      while (pos > 0 && !(this.value[pos] > 0)) pos--;
      rest = this.value[pos];
    }
    this.rest = rest;
    return pos;
  }

  /** Recomputes the tree from the stored values (clears accumulated rounding). */
  rebuild(): void {
    const t = this.tree;
    t.fill(0);
    for (let i = 0; i < this.size; i++) {
      const p = i + 1;
      t[p] += this.value[i];
      const parent = p + (p & -p);
      if (parent <= this.size) t[parent] += t[p];
    }
  }
}
