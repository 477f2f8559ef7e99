import { tfLinspace } from './tfLinspace';
import { validateClusteringInput } from './validateClusteringInput';
import { weightRange } from './weightRange';

/**
 * LINEAR centroid initialisation (TFMOT `LinearCentroidsInitialisation`): `k` evenly spaced
 * points from `min(values)` to `max(values)`, both ends included, computed like TF's float32
 * `linspace` so the result equals TFMOT's to the bit (e.g. 0..10 with k = 5 gives
 * [0, 2.5, 5, 7.5, 10]). `k = 1` gives `[min]`.
 *
 * This is the per-interval method; sparsity preservation (pinned zero, split by sign) is done by
 * `initializeCentroids`. O(n).
 *
 * @param values Weights to initialise from (finite).
 * @param k Number of centroids, `1 <= k <= values.length`.
 * @returns `k` centroids in ascending order.
 */
export function linearCentroids(values: Float32Array, k: number): Float32Array {
  validateClusteringInput(values, k);
  const { min, max } = weightRange(values);
  return tfLinspace(min, max, k);
}
