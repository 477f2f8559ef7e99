import * as tf from '@tensorflow/tfjs';
import { nudgeRangeTensors, type AsymmetricQuantOptions } from './nudgeRange';

/**
 * Asymmetric fake quantization with TF's `fake_quant_with_min_max_vars` semantics, for
 * activations: quantize `x` to `2^numBits` (narrow: `2^numBits − 1`) levels over the nudged
 * `[min, max]` and dequantize again, in float32.
 *
 * Forward, per element (the current TF kernel, `FakeQuantWithMinMaxVarsFunctor`):
 * - nudge `[min, max]` so that 0 is a level ({@link nudgeRange});
 * - `clamped = max(min(x, nudgedMax), nudgedMin)`;
 * - `y = floor(clamped / scale + 0.5) · scale`.
 *
 * TF's kernel writes the level as `floor((clamped − nudgedMin) / scale − quantZero + 0.5)`; since
 * `nudgedMin = −quantZero · scale` exactly, that is the same level, and our shorter form saves two
 * full passes over every quantized activation at every training step (the float32 roundings of
 * the longer form could only differ where a value sits within an ulp of a .5 boundary).
 *
 * The level is rounded by `floor(v + 0.5)` as in TF, so exact ties go towards +∞ (−2.5 → −2),
 * where TFLite's int8 kernels round them away from zero; only inputs exactly halfway between two
 * levels can differ after export. `y` is an integer times `scale`, so an exact 0 stays exactly 0.
 * Older TF kernels computed `floor(…) · scale + nudgedMin`, the same grid but up to one ulp off
 * it; we follow the current kernel.
 *
 * Backward: the clipped straight-through estimator of `FakeQuantWithMinMaxVarsGradient`: `dy`
 * where `nudgedMin ≤ x ≤ nudgedMax`, 0 outside; the whole `dy` when the range is degenerate
 * (min = max = 0, where the output is all zeros, as in TF).
 *
 * `min` and `max` receive no gradient. TF defines gradients for them (the sums of `dy` below and
 * above the range), but TFMOT's range variables are non-trainable and so are ours: ranges come
 * from the observers ({@link MovingAverageRangeObserver}), not from the optimizer. They may be
 * numbers or scalar tensors (e.g. the observer's variables); nothing is read back to JS, so this
 * can run inside a training forward pass.
 *
 * @param x float tensor of any shape.
 * @param min lower end of the range (≤ max).
 * @param max upper end of the range.
 * @returns a new tensor of `x`'s shape; the caller owns it.
 * @throws RangeError for a non-scalar range tensor, non-finite or inverted number bounds, or a
 *   bit width outside 2..16.
 * @group Quantization numerics
 */
export function fakeQuantAsymmetric(
  x: tf.Tensor,
  min: number | tf.Tensor,
  max: number | tf.Tensor,
  options: AsymmetricQuantOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    const r = nudgeRangeTensors(min, max, options);
    const input = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    // This runs on every quantized activation of every training step, so the pass band of the
    // clipped straight-through gradient is taken from the forward pass (`clamped == x` exactly
    // when nudgedMin ≤ x ≤ nudgedMax; false for NaN) instead of two comparisons and a logical
    // and in the backward pass.
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const xi = args[0] as tf.Tensor;
      const save = args[1] as tf.GradSaveFunc;
      const clamped = tf.maximum(tf.minimum(xi, r.nudgedMax), r.nudgedMin);
      const level = tf.floor(tf.add(tf.div(clamped, r.scale), 0.5));
      // A degenerate range needs no special case here: its nudged range is [0, 0], so everything
      // clamps to 0 and comes out as level 0.
      const value = tf.mul(level, r.scale);
      save([tf.logicalOr(tf.equal(clamped, xi), r.degenerate)]);
      return {
        value,
        // `where`, not `dy * mask`: an infinite upstream gradient outside the band must give 0, not NaN.
        gradFunc: (dy: tf.Tensor, [pass]: tf.Tensor[]) => tf.where(pass, dy, tf.zerosLike(dy)),
      };
    });
    return op(input);
  });
}
