import { channelGeometry } from './channelGeometry';

/**
 * The clustered kernel of a per-channel clustering: element `i` of channel `c` becomes
 * `centroids[c·k + assignment[i]]` (TFMOT's per-channel `gather`).
 *
 * @param centroids Row-major `[C, k]` centroids (from `clusterPerChannel`).
 * @param assignment Per-channel indices in `[0, k)`, laid out like the kernel.
 * @param shape Kernel shape.
 * @param channelAxes Channel axes as given to `clusterPerChannel`; default: last axis.
 * @throws RangeError on size mismatches or an index outside `[0, k)`, naming the position.
 * @group Clustering algorithms
 */
export function perChannelClusteredValues(
  centroids: Float32Array,
  assignment: Int32Array,
  shape: readonly number[],
  channelAxes?: readonly number[],
): Float32Array {
  const { channels, inner, size } = channelGeometry(shape, channelAxes);
  if (assignment.length !== size) {
    throw new RangeError(`assignment has ${assignment.length} entries but shape ${JSON.stringify(shape)} has ${size}`);
  }
  if (centroids.length === 0 || centroids.length % channels !== 0) {
    throw new RangeError(`centroids has ${centroids.length} values, not a positive multiple of ${channels} channels`);
  }
  const k = centroids.length / channels;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const a = assignment[i];
    if (!(a >= 0 && a < k)) {
      throw new RangeError(`assignment[${i}] = ${a} is not a valid index into ${k} centroids per channel`);
    }
    const c = Math.floor(i / inner) % channels;
    out[i] = centroids[c * k + a];
  }
  return out;
}
