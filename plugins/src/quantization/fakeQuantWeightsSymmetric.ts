import * as tf from '@tensorflow/tfjs';
import { straightThroughEstimator } from './straightThroughEstimator';
import { symmetricWeightGrid } from './symmetricWeightGrid';
import type { SymmetricWeightQuantOptions } from './symmetricWeightScales';

/**
 * Symmetric narrow-range fake quantization of a weight, for training: `scale · q` with
 * `scale = max|w| / quantMax` per tensor or channel ({@link symmetricWeightScales}) and
 * `q = round(w / scale)` in [−quantMax, quantMax] ({@link symmetricWeightLevels}), with an identity
 * straight-through gradient.
 *
 * The values are bit-identical to `quantizeWeightsSymmetric(weights, options).values`, so what
 * the model trains with is what is exported. Zeros stay exactly 0 (pruning survives), and k
 * distinct weights in a channel give at most k distinct values (clusters survive).
 *
 * The gradient is the identity, not TF's clipped estimator: the range is the weights' own
 * ±max|w|, so no weight is ever outside it. (TF's clip would compare against the nudged bound
 * `127 · scale`, which float rounding can put one ulp below max|w|, silently dropping the gradient
 * of the largest weight.)
 *
 * Runs entirely on the backend (no read-back), so it can run every step: as one native kernel
 * where collabopt's addon registered it ({@link symmetricWeightGrid}), else as tfjs ops.
 *
 * @returns a new float32 tensor of `weights`' shape; the caller owns it.
 * @throws RangeError for an invalid bit width or granularity (see {@link weightChannelLayout}).
 * @group Quantization numerics
 */
export function fakeQuantWeightsSymmetric(weights: tf.Tensor, options: SymmetricWeightQuantOptions = {}): tf.Tensor {
  return tf.tidy(() => {
    const w = weights.dtype === 'float32' ? weights : tf.cast(weights, 'float32');
    return straightThroughEstimator(w, (wi) => {
      const { values, scales } = symmetricWeightGrid(wi, options);
      scales.dispose();
      return values;
    });
  });
}
