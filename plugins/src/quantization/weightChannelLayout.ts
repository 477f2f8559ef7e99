/**
 * How a weight tensor is split into independently quantized channels.
 *
 * - `perTensor`: one scale for the whole tensor (Dense kernels, as TFMOT).
 * - `perAxis`: one scale per index along `axis` (negative counts from the end). Conv2D kernels
 *   `[h, w, in, out]` use `axis: -1`; Conv2DTranspose kernels `[h, w, out, in]` would use `axis: 2`.
 * - `depthwise`: DepthwiseConv2D kernels `[h, w, in, multiplier]` have `in · multiplier` real
 *   output channels, channel `i · multiplier + m` for kernel slice `[:, :, i, m]`. This is the
 *   order of TFLite's depthwise filter `[1, h, w, in · multiplier]` and of the layer's output.
 *
 * Porting note: TFMOT quantizes depthwise kernels "per axis" along the last axis, which has only
 * `multiplier` entries (usually 1), so its per-channel depthwise QAT is effectively per tensor
 * (tensorflow/model-optimization#808), while TFLite then exports per real channel. Here there is
 * one scale per real output channel, in training and in export alike.
 * @group Quantization numerics
 */
export type WeightGranularity =
  | {
      /** One scale for the whole tensor. */
      readonly kind: 'perTensor';
    }
  | {
      /** One scale per index along `axis`. */
      readonly kind: 'perAxis';
      /** The channel axis; negative counts from the end (`-1`: the last axis). */
      readonly axis: number;
    }
  | {
      /** One scale per real output channel of a DepthwiseConv2D kernel (in · multiplier). */
      readonly kind: 'depthwise';
    };

/**
 * Shapes that turn a weight into per-channel statistics and back.
 * @group Quantization numerics
 */
export interface WeightChannelLayout {
  /** Number of independently quantized channels (1 per tensor). */
  readonly channelCount: number;
  /** Reshape the weight to this shape… */
  readonly viewShape: number[];
  /** …and reduce over these axes to get one value per channel, in channel order. */
  readonly reduceAxes: number[];
  /** Reshape a per-channel vector to this shape to broadcast it against the weight. */
  readonly broadcastShape: number[];
  /**
   * Flat element `i` is in channel `⌊i / inner⌋ mod channelCount` (the product of the dimensions
   * after the channel axis; 1 per tensor, for the last axis and for depthwise kernels).
   */
  readonly inner: number;
}

/**
 * Resolves a {@link WeightGranularity} against a weight shape.
 *
 * @throws RangeError for an empty weight, an axis outside the weight's rank, or `depthwise` on a
 *   weight that is not rank 4.
 * @group Quantization numerics
 */
export function weightChannelLayout(shape: readonly number[], granularity: WeightGranularity): WeightChannelLayout {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0) {
    throw new RangeError(`weightChannelLayout: the weight is empty (shape [${shape.join(', ')}]); nothing to quantize`);
  }
  switch (granularity.kind) {
    case 'perTensor':
      return { channelCount: 1, viewShape: [size], reduceAxes: [0], broadcastShape: [], inner: 1 };
    case 'perAxis': {
      const rank = shape.length;
      const { axis } = granularity;
      if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
        throw new RangeError(
          `weightChannelLayout: granularity.axis must be an integer in [${-rank}, ${rank - 1}] for a weight of shape [${shape.join(', ')}], got ${axis}`,
        );
      }
      const a = axis < 0 ? axis + rank : axis;
      return {
        channelCount: shape[a],
        viewShape: [...shape],
        reduceAxes: shape.map((_, i) => i).filter((i) => i !== a),
        broadcastShape: shape.map((d, i) => (i === a ? d : 1)),
        inner: shape.slice(a + 1).reduce((p, d) => p * d, 1),
      };
    }
    case 'depthwise': {
      if (shape.length !== 4) {
        throw new RangeError(
          `weightChannelLayout: depthwise granularity needs a DepthwiseConv2D kernel [h, w, in, multiplier], got shape [${shape.join(', ')}]`,
        );
      }
      const [h, w, inC, mult] = shape;
      return { channelCount: inC * mult, viewShape: [h * w, inC * mult], reduceAxes: [0], broadcastShape: [1, 1, inC, mult], inner: 1 };
    }
    default: {
      const g: never = granularity;
      throw new RangeError(`weightChannelLayout: unknown granularity ${JSON.stringify(g)}`);
    }
  }
}
