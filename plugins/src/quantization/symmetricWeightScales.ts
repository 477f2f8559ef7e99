import * as tf from '@tensorflow/tfjs';
import { symmetricQuantLevels } from './quantLevels';
import { weightChannelLayout, type WeightGranularity } from './weightChannelLayout';

/**
 * Bit width and channel split of symmetric weight quantization.
 * @group Quantization numerics
 */
export interface SymmetricWeightQuantOptions {
  /** Bits per weight, 2..8; levels are [-(2^(bits-1) − 1), 2^(bits-1) − 1]. Default 8. */
  readonly numBits?: number;
  /** Per tensor (default), per axis, or per real depthwise output channel. */
  readonly granularity?: WeightGranularity;
}

/**
 * Scales of symmetric narrow-range weight quantization: `max|w| / quantMax` per tensor or per
 * channel (int8: `max|w| / 127`), the scale TFMOT's `LastValueQuantizer` (symmetric, narrow)
 * produces: its range ±max|w| nudges to zero point 128 and step `2·max|w| / 254`, which is the
 * same float32 number.
 *
 * A channel whose scale would be 0 (all weights zero, e.g. a fully pruned channel, or so tiny that
 * `max|w| / quantMax` underflows) gets `1 / quantMax`, as if its range were ±1: its weights still
 * quantize to exactly 0, and the scale stays positive and finite, which TFLite requires and which
 * keeps the int32 bias scale (input scale × weight scale) usable. The TFLite converter makes the
 * same choice for an all-zero weight (range ±1). A NaN or infinite weight yields a NaN/∞ scale, so
 * the problem stays visible.
 *
 * Runs entirely on the backend (no read-back).
 *
 * @returns a float32 tensor of shape `weightChannelLayout(...).broadcastShape` (a scalar per
 *   tensor), broadcastable against `weights`; the caller owns it.
 * @group Quantization numerics
 */
export function symmetricWeightScales(weights: tf.Tensor, options: SymmetricWeightQuantOptions = {}): tf.Tensor {
  const { quantMax } = symmetricQuantLevels(options.numBits ?? 8);
  const layout = weightChannelLayout(weights.shape, options.granularity ?? { kind: 'perTensor' });
  return tf.tidy(() => {
    const w = weights.dtype === 'float32' ? weights : tf.cast(weights, 'float32');
    // max|w| as max(max w, −min w): two reductions and no full-size |w| tensor (this runs on
    // every quantized kernel at every training step).
    const view = tf.reshape(w, layout.viewShape);
    const maxAbs = tf.maximum(tf.max(view, layout.reduceAxes), tf.neg(tf.min(view, layout.reduceAxes)));
    const raw = tf.div(maxAbs, quantMax);
    // `lessEqual`, not `not(greater)`: NaN must not be replaced by a harmless-looking scale.
    const scale = tf.where(tf.lessEqual(raw, 0), tf.fill(raw.shape, Math.fround(1 / quantMax)), raw);
    return tf.reshape(scale, layout.broadcastShape);
  });
}
