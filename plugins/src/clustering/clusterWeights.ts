import { assignToNearest } from './assignToNearest';
import { initializeCentroids, type InitializeCentroidsOptions } from './CentroidInitialization';
import { lloydRefine } from './lloydRefine';
import { SortedWeights } from './SortedWeights';
import { validateClusteringInput } from './validateClusteringInput';

/**
 * Options of {@link clusterWeights}: initialisation options plus optional k-means refinement.
 * @group Clustering algorithms
 */
export interface ClusterWeightsOptions extends Omit<InitializeCentroidsOptions, 'sorted'> {
  /**
   * Lloyd (k-means) iterations after initialisation (TFMOT runs none). Default 0. Refinement
   * stops early at a fixed point; with `preserveSparsity` the zero centroid stays exactly 0.
   */
  refineIterations?: number;
  /** Stop refinement once no centroid moves more than this. Default 0 (exact fixed point). */
  refineTolerance?: number;
  /**
   * Assign every weight to its nearest centroid at the end. Default true; `false` leaves
   * `assignment` empty, for callers that assign the weights themselves right after (the cluster
   * plugin's first projection does, so its session start skips a pass over every weight).
   */
  assign?: boolean;
}

/**
 * Result of {@link clusterWeights}.
 * @group Clustering algorithms
 */
export interface ClusteringResult {
  /** `k` centroids (original order from the initialisation; refined in place of each). */
  centroids: Float32Array;
  /** For each weight, the index of its nearest centroid (see {@link assignToNearest}); empty with `assign: false`. */
  assignment: Int32Array;
  /** Lloyd iterations performed (0 without refinement). */
  refineIterations: number;
}

/**
 * Clusters one flat set of weights: {@link initializeCentroids} → optional {@link lloydRefine} →
 * {@link assignToNearest}. The data is sorted at most once and shared between k-means++ and
 * refinement. The clustered weights are `clusteredValues(centroids, assignment)`.
 *
 * With `preserveSparsity`, every weight that is 0 is assigned to the single zero centroid.
 *
 * @param weights Flat weights (finite); not modified.
 * @param k Number of clusters (see {@link initializeCentroids} for the limits).
 * @group Clustering algorithms
 */
export function clusterWeights(
  weights: Float32Array,
  k: number,
  options: ClusterWeightsOptions = {},
): ClusteringResult {
  const iterations = options.refineIterations ?? 0;
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new RangeError(`clusterWeights: options.refineIterations must be an integer >= 0, got ${iterations}`);
  }
  const method = options.method ?? 'kmeans++';
  // Validate before sorting so bad input fails with its own message, not deep inside the sort.
  validateClusteringInput(weights, k, {
    requireDistinct: true,
    preserveSparsity: options.preserveSparsity === true,
  });
  const sorted = iterations > 0 || method === 'kmeans++' ? SortedWeights.from(weights) : undefined;
  let centroids = initializeCentroids(weights, k, { ...options, sorted });
  let done = 0;
  if (iterations > 0) {
    const refined = lloydRefine(sorted ?? weights, centroids, {
      maxIterations: iterations,
      tolerance: options.refineTolerance ?? 0,
      preserveSparsity: options.preserveSparsity === true,
    });
    centroids = refined.centroids;
    done = refined.iterations;
  }
  const assignment = options.assign === false ? new Int32Array(0) : assignToNearest(weights, centroids);
  return { centroids, assignment, refineIterations: done };
}
