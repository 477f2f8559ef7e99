/**
 * How the elements of a flat (row-major) tensor map to its output channels.
 * @group Clustering algorithms
 */
export interface ChannelGeometry {
  /** Number of channels `C` (product of the channel axes' sizes). */
  channels: number;
  /** Product of the sizes of the axes after the channel axes (1 for trailing channel axes). */
  inner: number;
  /** Elements per channel (`size / C`). */
  perChannel: number;
  /** Total number of elements. */
  size: number;
}

/**
 * Channel layout of a kernel: flat element `i` belongs to channel
 * `floor(i / inner) % channels`. The channel axes must be contiguous; together they form one
 * channel index in row-major order.
 *
 * tfjs kernels are channels-last regardless of the layer's data format:
 * - Conv1D/Conv2D/Conv3D `[..., in, out]`, Dense `[in, out]`: the default `[rank - 1]`;
 * - DepthwiseConv2D `[h, w, in, mult]`: `[2, 3]` — output channel `i·mult + m`, which is how the
 *   layer orders its outputs (so each of the `in·mult` real output channels gets its own
 *   centroids; TFMOT quantizes per `mult` only, see its issue #808);
 * - Conv2DTranspose `[h, w, out, in]`: `[2]`.
 *
 * @param shape Tensor shape (positive integers).
 * @param channelAxes Contiguous ascending axes (negative counts from the end). Default: last axis.
 * @throws RangeError naming the bad shape or axes.
 * @group Clustering algorithms
 */
export function channelGeometry(shape: readonly number[], channelAxes?: readonly number[]): ChannelGeometry {
  if (!Array.isArray(shape) || shape.length === 0) {
    throw new RangeError(`shape must be a non-empty array of dimensions, got ${JSON.stringify(shape)}`);
  }
  for (let d = 0; d < shape.length; d++) {
    if (!Number.isInteger(shape[d]) || shape[d] < 1) {
      throw new RangeError(`shape[${d}] must be a positive integer, got ${shape[d]} (shape ${JSON.stringify(shape)})`);
    }
  }
  const rank = shape.length;
  const axes = (channelAxes ?? [rank - 1]).map((a) => (a < 0 ? a + rank : a));
  if (axes.length === 0) throw new RangeError('channelAxes must name at least one axis');
  for (let t = 0; t < axes.length; t++) {
    const a = axes[t];
    if (!Number.isInteger(a) || a < 0 || a >= rank || (t > 0 && a !== axes[t - 1] + 1)) {
      throw new RangeError(
        `channelAxes must be contiguous ascending axes of a rank-${rank} shape ` +
          `${JSON.stringify(shape)}, got ${JSON.stringify(channelAxes)}`,
      );
    }
  }
  let size = 1;
  for (const d of shape) size *= d;
  let channels = 1;
  for (const a of axes) channels *= shape[a];
  let inner = 1;
  for (let d = axes[axes.length - 1] + 1; d < rank; d++) inner *= shape[d];
  return { channels, inner, perChannel: size / channels, size };
}
