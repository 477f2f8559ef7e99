import { channelGeometry } from './channelGeometry';
import { clusterWeights, type ClusterWeightsOptions } from './clusterWeights';
import { requireRandomSource } from './requireRandomSource';
import { validateClusteringInput } from './validateClusteringInput';

/**
 * Options of {@link clusterPerChannel}.
 * @group Clustering algorithms
 */
export interface ClusterPerChannelOptions extends ClusterWeightsOptions {
  /** Channel axes (see {@link channelGeometry}); default: the last axis. */
  channelAxes?: readonly number[];
}

/**
 * Result of {@link clusterPerChannel}.
 * @group Clustering algorithms
 */
export interface PerChannelClusteringResult {
  /** Row-major `[C, k]`: centroids of channel `c` are `centroids[c·k .. c·k + k)`. */
  centroids: Float32Array;
  /**
   * Same layout as the weights; entry `i` is the index (0..k-1) within its own channel's row,
   * like TFMOT's per-channel `pulling_indices`. Empty with `assign: false`.
   */
  assignment: Int32Array;
  /** Number of channels `C`. */
  channels: number;
  /** Centroids per channel `k`. */
  k: number;
}

/**
 * Clusters every output channel of a kernel independently with `k` centroids each
 * (TFMOT `cluster_per_channel`, `ClusteringAlgorithmPerChannel`), e.g. Conv2D `[h, w, in, out]`
 * per `out`, or DepthwiseConv2D `[h, w, in, mult]` per real output channel with
 * `channelAxes: [2, 3]`. Each channel runs {@link clusterWeights} (same options; random methods
 * use the child stream `random.child(c)`, so a channel's result does not depend on the others).
 * With `preserveSparsity` each channel has its own zero centroid.
 *
 * Errors from a channel name it (e.g. "weights (channel 5)" when that channel has fewer distinct
 * values than `k`): TFMOT issue #979 (a 1x1 conv with fewer weights per channel than clusters)
 * is reported up front instead of producing an all-zero kernel.
 *
 * @param weights Flat row-major weights of `shape`; not modified.
 * @param shape Kernel shape.
 * @param k Clusters per channel.
 * @group Clustering algorithms
 */
export function clusterPerChannel(
  weights: Float32Array,
  shape: readonly number[],
  k: number,
  options: ClusterPerChannelOptions = {},
): PerChannelClusteringResult {
  if (!(weights instanceof Float32Array)) {
    throw new TypeError(`weights must be a Float32Array, got ${typeof weights}`);
  }
  const geo = channelGeometry(shape, options.channelAxes);
  if (geo.size !== weights.length) {
    throw new RangeError(
      `weights has ${weights.length} values but shape ${JSON.stringify(shape)} has ${geo.size}`,
    );
  }
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`k (number of clusters) must be an integer >= 1, got ${k}`);
  }
  if (k > geo.perChannel) {
    throw new RangeError(
      `k (number of clusters) = ${k} exceeds the ${geo.perChannel} weights per channel of shape ` +
        `${JSON.stringify(shape)} (${geo.channels} channels)`,
    );
  }
  // Finite check on the whole tensor first, so a NaN is reported at its index in the kernel.
  validateClusteringInput(weights, 1);
  const method = options.method ?? 'kmeans++';
  const random =
    method === 'random' || method === 'kmeans++'
      ? requireRandomSource(options.random, `clusterPerChannel('${method}')`)
      : options.random;
  const { channels, inner, perChannel } = geo;
  const centroids = new Float32Array(channels * k);
  const assign = options.assign !== false;
  const assignment = new Int32Array(assign ? weights.length : 0);
  const slice = new Float32Array(perChannel);
  const stride = channels * inner;
  for (let c = 0; c < channels; c++) {
    // Elements of channel c: outer blocks of `stride`, inner run of `inner` at offset c·inner.
    let t = 0;
    for (let base = c * inner; base < weights.length; base += stride) {
      for (let j = 0; j < inner; j++) slice[t++] = weights[base + j];
    }
    let result;
    try {
      result = clusterWeights(slice, k, { ...options, random: random?.child(c) });
    } catch (e) {
      if (e instanceof Error) {
        e.message = e.message.replace(/ in weights\b/, ` in weights (channel ${c} of ${channels})`);
      }
      throw e;
    }
    centroids.set(result.centroids, c * k);
    if (!assign) continue;
    t = 0;
    for (let base = c * inner; base < weights.length; base += stride) {
      for (let j = 0; j < inner; j++) assignment[base + j] = result.assignment[t++];
    }
  }
  return { centroids, assignment, channels, k };
}
