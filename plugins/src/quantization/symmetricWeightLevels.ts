import * as tf from '@tensorflow/tfjs';
import { symmetricQuantLevels } from './quantLevels';
import { roundHalfAwayFromZero } from './roundHalfAwayFromZero';

/**
 * Integer levels of symmetric weight quantization: `q = clamp(round(w / scale), −quantMax,
 * quantMax)`, as float32 integers, with `round` ties away from zero.
 *
 * Ties away from zero (not TF's `floor(v + 0.5)`) because it is what the TFLite converter uses when
 * it turns float weights into int8 (`rmNearestTiesToAway`), because it is odd-symmetric
 * (`q(−w) = −q(w)`), and because the training fake-quant and the exported q must agree exactly.
 * Porting note: TF's fake-quant op, which TFMOT uses for weights, rounds exact ties towards +∞
 * instead (w/scale = −2.5 → −2 there, −3 here); no other input differs.
 *
 * Division (not multiplication by a reciprocal) keeps `q = ±quantMax` for the largest weight of
 * each channel. 0 maps to exactly 0, and equal weights map to equal levels.
 *
 * Options for the per-step weight projection: `ties: 'even'` rounds exact ties to the even level in
 * one pass (`tf.round`) instead of six, and `clip: false` skips the clamp when the scales were
 * computed from these same weights (|w / scale| ≤ quantMax then holds up to float rounding, which
 * `round` absorbs). A projected weight lies exactly on a level, so export re-derives the same q
 * whichever way the (measure-zero) ties went.
 *
 * @param weights float tensor.
 * @param scales positive scales broadcastable against `weights` (see {@link symmetricWeightScales}).
 * @param numBits 2..8. Default 8.
 * @returns a new float32 tensor of `weights`' shape holding integers; the caller owns it.
 * @group Quantization numerics
 */
export function symmetricWeightLevels(
  weights: tf.Tensor,
  scales: tf.Tensor,
  numBits = 8,
  options: { readonly ties?: 'awayFromZero' | 'even'; readonly clip?: boolean } = {},
): tf.Tensor {
  const { quantMin, quantMax } = symmetricQuantLevels(numBits);
  return tf.tidy(() => {
    const v = tf.div(weights, scales);
    const q = options.ties === 'even' ? tf.round(v) : roundHalfAwayFromZero(v);
    return options.clip === false ? q : tf.clipByValue(q, quantMin, quantMax);
  });
}
