import * as tf from '@tensorflow/tfjs';
import { symmetricWeightLevels } from './symmetricWeightLevels';
import { symmetricWeightScales, type SymmetricWeightQuantOptions } from './symmetricWeightScales';
import { weightChannelLayout } from './weightChannelLayout';

/**
 * A weight quantized to a symmetric narrow-range grid, ready for export.
 * @group Quantization numerics
 */
export interface SymmetricQuantizedWeights {
  /** Dequantized weights `scale · q`, float32, the weight's shape; the caller owns (disposes) it. */
  readonly values: tf.Tensor;
  /**
   * One positive float32 scale per channel, in channel order (length 1 per tensor; `in · multiplier`
   * for depthwise, channel `i · multiplier + m`). Zero points are all 0.
   */
  readonly scales: Float32Array;
  /** Integer levels in [−quantMax, quantMax], in the weight's own row-major element order. */
  readonly q: Int8Array;
}

/**
 * Quantizes a weight symmetrically (narrow range, zero point 0) for export: the integer levels,
 * the per-tensor or per-channel scales, and the dequantized values, which are bit-identical to
 * {@link fakeQuantWeightsSymmetric}'s output for the same weight, so the exported model computes
 * with exactly what the model trained with.
 *
 * For every element: `q = clamp(round(w / scale), −quantMax, quantMax)` (ties away from zero) and
 * `value = scale · q` with `scale = max|w| / quantMax` of its channel (an all-zero channel gets
 * `1 / quantMax`; see {@link symmetricWeightScales}). int8: quantMax = 127; fewer bits emulate a
 * coarser grid in the same Int8Array.
 *
 * Reads the weight back to JS (synchronously), so it is meant for export, not for every step.
 *
 * @throws RangeError when a weight is NaN or infinite (naming the first such element), or for an
 *   invalid bit width or granularity.
 * @group Quantization numerics
 */
export function quantizeWeightsSymmetric(
  weights: tf.Tensor,
  options: SymmetricWeightQuantOptions = {},
): SymmetricQuantizedWeights {
  const numBits = options.numBits ?? 8;
  const layout = weightChannelLayout(weights.shape, options.granularity ?? { kind: 'perTensor' });
  const raw = weights.dataSync();
  for (let i = 0; i < raw.length; i++) {
    if (!Number.isFinite(raw[i])) {
      throw new RangeError(
        `quantizeWeightsSymmetric: weights[${i}] (flat index, shape [${weights.shape.join(', ')}]) is ${raw[i]}; only finite weights can be quantized`,
      );
    }
  }
  const [values, scaleTensor, qTensor] = tf.tidy(() => {
    const w = weights.dtype === 'float32' ? weights : tf.cast(weights, 'float32');
    const s = symmetricWeightScales(w, options);
    const q = symmetricWeightLevels(w, s, numBits);
    return [tf.mul(q, s), s, q];
  });
  try {
    const scales = Float32Array.from(scaleTensor.dataSync());
    if (scales.length !== layout.channelCount) {
      throw new Error(`quantizeWeightsSymmetric: internal error: ${scales.length} scales for ${layout.channelCount} channels`);
    }
    return { values, scales, q: Int8Array.from(qTensor.dataSync()) };
  } catch (e) {
    values.dispose();
    throw e;
  } finally {
    scaleTensor.dispose();
    qTensor.dispose();
  }
}
