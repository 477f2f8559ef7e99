import { countDistinct } from './countDistinct';
import { densityCentroids } from './densityCentroids';
import { kmeansPlusPlusCentroids } from './kmeansPlusPlusCentroids';
import { linearCentroids } from './linearCentroids';
import type { RandomSource } from './RandomSource';
import { randomCentroids } from './randomCentroids';
import { requireRandomSource } from './requireRandomSource';
import { SortedWeights } from './SortedWeights';
import { validateClusteringInput } from './validateClusteringInput';
import { weightRange } from './weightRange';

const f = Math.fround;

/**
 * Centroid initialisation methods, TFMOT's `CentroidInitialization` enum. The string values are
 * what plugin options and recipes use.
 * @group Clustering
 */
export const CentroidInitialization = {
  /** Evenly spaced between min and max (`linearCentroids`). */
  LINEAR: 'linear',
  /** Uniform random between min and max (`randomCentroids`). */
  RANDOM: 'random',
  /** CDF inversion (`densityCentroids`). */
  DENSITY_BASED: 'density',
  /** Greedy k-means++ (`kmeansPlusPlusCentroids`); TFMOT's default. */
  KMEANS_PLUS_PLUS: 'kmeans++',
} as const;

/**
 * One of the {@link CentroidInitialization} values: `'linear' | 'random' | 'density' | 'kmeans++'`.
 * @group Clustering
 */
export type CentroidInitialization = (typeof CentroidInitialization)[keyof typeof CentroidInitialization];

const METHODS: readonly string[] = Object.values(CentroidInitialization);

/**
 * Options of {@link initializeCentroids}.
 * @group Clustering algorithms
 */
export interface InitializeCentroidsOptions {
  /** Initialisation method. Default `'kmeans++'` (as TFMOT). */
  method?: CentroidInitialization;
  /**
   * Sparsity-preserving initialisation: exactly one centroid is exactly 0 and the other `k - 1`
   * come from the non-zero weights only (split between negatives and positives as TFMOT does).
   * A per-call decision — nothing is remembered between calls. Default `false`.
   */
  preserveSparsity?: boolean;
  /** Randomness for `'random'` and `'kmeans++'` (e.g. `new SeededRandom(seed)`); required for them. */
  random?: RandomSource;
  /** k-means++ candidates per centre beyond the first; default TFMOT's `2 + floor(ln k)`. */
  kmeansPlusPlusRetries?: number;
  /**
   * A sort of these same weights to reuse (k-means++ and refinement need one). Must hold exactly
   * the values of `weights`; `clusterWeights` passes it so the data is sorted only once.
   */
  sorted?: SortedWeights;
}

/**
 * Initialises `k` centroids for a 1-D set of weights with TFMOT's semantics
 * (`CentroidsInitializerFactory` + `AbstractCentroidsInitialisation.get_cluster_centroids`).
 *
 * Without `preserveSparsity`: the chosen method on all weights.
 *
 * With `preserveSparsity` (TFMOT `_zero_centroid_initialization`):
 * 1. one centroid is exactly 0;
 * 2. the non-zero weights are split into negatives and positives; the negatives get
 *    `round_half_even((k - 1) · negatives / nonZeros)` centroids and the positives the rest;
 * 3. the method runs on each side separately (DENSITY_BASED with the narrower gap
 *    `min(0.01, min(|min|, |max|) / 2)` so no centroid crosses zero);
 * 4. the result is `[negative centroids..., 0, positive centroids...]`, so exactly one centroid
 *    is 0 and every weight that is 0 is assigned to it (its distance is 0, nobody else is 0).
 *
 * Validation (errors name the argument and value): finite non-empty weights; integer
 * `1 <= k <= number of distinct values` (with `preserveSparsity`: `k - 1 <=` number of distinct
 * non-zero values; `k = 1` then gives `[0]`).
 *
 * Porting notes:
 * - TFMOT returns only `[0]` for all-zero weights whatever K is; here that is the `k = 1` case and
 *   larger `k` is an error, so the result always has exactly `k` entries.
 * - When rounding gives one side more centroids than it has distinct values (TFMOT would then
 *   produce duplicate centroids, or fail in k-means++), the surplus moves to the other side.
 * - Random methods take an explicit seeded {@link RandomSource} (TFMOT: global RNG / Philox(9)).
 * - TFMOT's later CQAT stage pads per-channel centroids with 1.0 and flips `preserve_sparsity`
 *   on a shared quantizer; neither is done here — centroids are never padded and
 *   `preserveSparsity` is a plain argument of each call.
 *
 * @returns `k` centroids in TFMOT's order (LINEAR/DENSITY ascending, RANDOM/KMEANS++ draw order;
 *   with sparsity, `[negatives..., 0, positives...]`).
 * @group Clustering algorithms
 */
export function initializeCentroids(
  weights: Float32Array,
  k: number,
  options: InitializeCentroidsOptions = {},
): Float32Array {
  const method = options.method ?? CentroidInitialization.KMEANS_PLUS_PLUS;
  if (!METHODS.includes(method)) {
    throw new RangeError(
      `Unknown centroid initialisation method ${JSON.stringify(method)}; ` +
        `allowed: ${METHODS.map((m) => `'${m}'`).join(', ')}`,
    );
  }
  const preserveSparsity = options.preserveSparsity === true;
  validateClusteringInput(weights, k, { requireDistinct: true, preserveSparsity });
  if (method === 'random' || method === 'kmeans++') {
    requireRandomSource(options.random, `initializeCentroids('${method}')`);
  }
  if (options.sorted !== undefined && options.sorted.length !== weights.length) {
    throw new RangeError(
      `initializeCentroids: options.sorted holds ${options.sorted.length} values but weights has ` +
        `${weights.length}; it must be a sort of the same weights`,
    );
  }
  if (!preserveSparsity) {
    return initializeSide(method, weights, k, options, undefined, options.sorted, options.random);
  }

  let negatives = 0;
  let positives = 0;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] < 0) negatives++;
    else if (weights[i] > 0) positives++;
  }
  const out = new Float32Array(k);
  const nonZero = negatives + positives;
  if (k === 1 || nonZero === 0) return out; // [0]
  const [kNeg, kPos] = splitClusters(weights, k - 1, negatives, positives);

  let sortedNeg: SortedWeights | undefined;
  let sortedPos: SortedWeights | undefined;
  let negValues: Float32Array | undefined;
  let posValues: Float32Array | undefined;
  if (method === 'kmeans++') {
    // One sort serves both sides: negatives, zeros and positives are contiguous in it.
    const all = options.sorted ?? SortedWeights.from(weights);
    sortedNeg = all.slice(0, all.lowerBound(0));
    sortedPos = all.slice(all.upperBound(0), all.length);
    negValues = sortedNeg.values;
    posValues = sortedPos.values;
  } else {
    negValues = new Float32Array(negatives);
    posValues = new Float32Array(positives);
    let a = 0;
    let b = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (w < 0) negValues[a++] = w;
      else if (w > 0) posValues[b++] = w;
    }
  }
  // Each side gets its own child stream so one side's draws never shift the other's.
  const neg =
    kNeg > 0
      ? initializeSide(method, negValues, kNeg, options, sideGap(negValues), sortedNeg, options.random?.child('negative'))
      : new Float32Array(0);
  const pos =
    kPos > 0
      ? initializeSide(method, posValues, kPos, options, sideGap(posValues), sortedPos, options.random?.child('positive'))
      : new Float32Array(0);
  out.set(neg, 0);
  out[kNeg] = 0;
  out.set(pos, kNeg + 1);
  return out;
}

function initializeSide(
  method: CentroidInitialization,
  values: Float32Array,
  k: number,
  options: InitializeCentroidsOptions,
  gap: number | undefined,
  sorted: SortedWeights | undefined,
  random: RandomSource | undefined,
): Float32Array {
  switch (method) {
    case 'linear':
      return linearCentroids(values, k);
    case 'random':
      return randomCentroids(values, k, { random: random as RandomSource });
    case 'density':
      return densityCentroids(values, k, gap === undefined ? {} : { gap });
    case 'kmeans++':
      return kmeansPlusPlusCentroids(sorted ?? values, k, {
        random: random as RandomSource,
        retries: options.kmeansPlusPlusRetries,
      });
  }
}

/** TFMOT's sparsity-preserving density gap: `min(0.01, min(|min|, |max|) / 2)` in float32. */
function sideGap(values: Float32Array): number {
  const { min, max } = weightRange(values);
  return Math.min(f(0.01), f(Math.min(Math.abs(min), Math.abs(max)) / 2));
}

/**
 * Centroids for the negative and positive sides: TFMOT's proportional split with TF's
 * round-half-to-even, then moved so no side gets more centroids than it has distinct values.
 */
function splitClusters(
  weights: Float32Array,
  nonZeroClusters: number,
  negatives: number,
  positives: number,
): [number, number] {
  let kNeg = roundHalfEven(nonZeroClusters * (negatives / (negatives + positives)));
  let kPos = nonZeroClusters - kNeg;
  const distinctNeg = countDistinct(weights, kNeg, 'negative');
  if (kNeg > distinctNeg) {
    kNeg = distinctNeg;
    kPos = nonZeroClusters - kNeg;
  } else {
    const distinctPos = countDistinct(weights, kPos, 'positive');
    if (kPos > distinctPos) {
      kPos = distinctPos;
      kNeg = nonZeroClusters - kPos;
    }
  }
  return [kNeg, kPos];
}

/** `tf.math.round`: nearest integer, halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
