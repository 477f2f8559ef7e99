/**
 * Where the output channels of a layer's weight sit in its tfjs (channels-last) shape.
 * @group Weights
 */
export interface OutputChannelLayout {
  /**
   * The trailing axes that together index the output channel, in row-major order: `[rank − 1]`
   * for Dense/Conv kernels `[..., in, out]`, `[rank − 2, rank − 1]` for depthwise kernels
   * `[h, w, in, multiplier]` (real output channel `i · multiplier + m`, the order of the layer's
   * outputs and of TFLite's `[1, h, w, in · multiplier]` filter).
   */
  readonly axes: readonly number[];
  /** Number of output channels: the product of those axes' sizes. Flat element `k` is in channel `k % channels`. */
  readonly channels: number;
  /** True for a depthwise kernel (the two trailing axes form the channel). */
  readonly depthwise: boolean;
}

/**
 * The one place that decides a weight's output-channel layout: the per-channel invariants (and
 * `clusters` derived from a weight's values), the cluster plugin, the tfjs exporter's statistics
 * and the TFLite lowering all derive theirs from here, so they cannot disagree on what "per
 * channel" means.
 *
 * @param className tfjs class of the layer owning the weight.
 * @param weightName the weight's name relative to its layer (`kernel`, `depthwise_kernel`, ...).
 * @param shape the weight's shape (tfjs layout).
 * @returns null for weights without output channels (vectors).
 * @group Weights
 */
export function outputChannelLayout(className: string | undefined, weightName: string | undefined, shape: readonly number[]): OutputChannelLayout | null {
  const rank = shape.length;
  if (rank < 2) return null;
  if (isDepthwiseKernel(className, weightName)) {
    return { axes: [rank - 2, rank - 1], channels: shape[rank - 2] * shape[rank - 1], depthwise: true };
  }
  return { axes: [rank - 1], channels: shape[rank - 1], depthwise: false };
}

/**
 * Whether a weight is a depthwise kernel `[h, w, in, multiplier]` (DepthwiseConv2D's, or the
 * depthwise half of SeparableConv2D).
 * @group Weights
 */
export function isDepthwiseKernel(className: string | undefined, weightName: string | undefined): boolean {
  return weightName === 'depthwise_kernel' && (className === 'DepthwiseConv2D' || className === 'SeparableConv2D');
}
