import type { RandomSource } from './RandomSource';
import { requireRandomSource } from './requireRandomSource';
import { validateClusteringInput } from './validateClusteringInput';
import { weightRange } from './weightRange';

const f = Math.fround;

/** Options of {@link randomCentroids}. */
export interface RandomCentroidsOptions {
  /** Source of randomness, e.g. `new SeededRandom(seed)`; same seed → same centroids. */
  random: RandomSource;
}

/**
 * RANDOM centroid initialisation (TFMOT `RandomCentroidsInitialisation`): `k` independent
 * uniform samples in `[min(values), max(values))`, rounded to float32 (and kept below `max`
 * after rounding). When `min === max` every centroid is that value.
 *
 * Porting note: TFMOT draws from TF's global, unseeded RNG; here the caller passes a seeded
 * {@link RandomSource}, so runs are reproducible.
 *
 * This is the per-interval method; sparsity preservation is done by `initializeCentroids`.
 * O(n) for the range plus O(k).
 *
 * @returns `k` centroids in draw order (not sorted), as TFMOT returns them.
 */
export function randomCentroids(
  values: Float32Array,
  k: number,
  options: RandomCentroidsOptions,
): Float32Array {
  validateClusteringInput(values, k);
  const random = requireRandomSource(options?.random, 'randomCentroids');
  const { min, max } = weightRange(values);
  const out = new Float32Array(k);
  const below = max > min ? previousFloat32(max) : max;
  for (let i = 0; i < k; i++) {
    const c = f(min + (max - min) * random.float());
    out[i] = c < max ? c : below;
  }
  return out;
}

/** The largest float32 strictly below `x` (x finite, not the most negative float32). */
function previousFloat32(x: number): number {
  const buf = new Float32Array([x]);
  const bits = new Uint32Array(buf.buffer);
  if (x > 0) bits[0] -= 1;
  else if (x < 0) bits[0] += 1;
  else bits[0] = 0x80000001; // below ±0 is the smallest negative subnormal
  return buf[0];
}
