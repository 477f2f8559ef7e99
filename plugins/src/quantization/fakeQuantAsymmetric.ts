import * as tf from '@tensorflow/tfjs';
import { FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_NUDGE_KERNEL } from '@collabopt/core';
import { nudgedGridTensors, rangeScalars, type AsymmetricQuantOptions } from './nudgeRange';
import { asymmetricQuantLevels } from './quantLevels';

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
 * (min = max = 0, where the output is all zeros, as in TF). (One exception, on backends whose
 * `clipByValue` keeps NaN, such as cpu: a NaN input under a degenerate range gets 0.)
 *
 * `min` and `max` receive no gradient. TF defines gradients for them (the sums of `dy` below and
 * above the range), but TFMOT's range variables are non-trainable and so are ours: ranges come
 * from the observers ({@link MovingAverageRangeObserver}), not from the optimizer. They may be
 * numbers or scalar tensors (e.g. the observer's variables); nothing is read back to JS, so this
 * can run inside a training forward pass.
 *
 * Where collabopt's native kernels are registered (Node, wasm backend) the forward and the
 * gradient each run as one fused kernel ({@link FAKE_QUANT_AFFINE_KERNEL}), and the nudged grid
 * of the range as one more ({@link FAKE_QUANT_NUDGE_KERNEL}), with the same bits; elsewhere as a
 * composite of tfjs kernels.
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
  return observedFakeQuant(x, null, min, max, options);
}

/**
 * {@link fakeQuantAsymmetric} that first lets `observe` see the (float32) input — a range
 * observer's `update` — and then reads `min`/`max`, all inside the one custom-gradient op.
 *
 * Why one op: under a gradient tape tfjs copies the inputs of every kernel whose gradient needs
 * them; the observer's reductions and the range arithmetic would each copy their input (for
 * `min(x)`/`max(x)` the whole activation) although no gradient flows through them. Inside a
 * custom op's forward nothing is recorded.
 * @internal The quantize plugin's training path.
 */
export function observedFakeQuant(
  x: tf.Tensor,
  observe: ((x: tf.Tensor) => void) | null,
  min: number | tf.Tensor,
  max: number | tf.Tensor,
  options: AsymmetricQuantOptions = {},
): tf.Tensor {
  const { quantMin, quantMax } = asymmetricQuantLevels(options.numBits ?? 8, options.narrowRange ?? false);
  // The fused kernels exist only where the Node entry registered the native addon's kernels on
  // wasm; in a browser and on other backends the composite below runs (same bits on wasm).
  const backend = tf.getBackend();
  const fused = x.size > 0 && tf.getKernel(FAKE_QUANT_AFFINE_KERNEL, backend) != null &&
    tf.getKernel(FAKE_QUANT_AFFINE_GRAD_KERNEL, backend) != null;
  const nativeNudge = fused && tf.getKernel(FAKE_QUANT_NUDGE_KERNEL, backend) != null;
  return tf.tidy(() => {
    const input = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const xi = args[0] as tf.Tensor;
      const save = args[1] as tf.GradSaveFunc;
      observe?.(xi);
      const [lo, hi] = rangeScalars('fakeQuantAsymmetric', min, max);
      const { scale, lowLevel, highLevel, bandMin, bandMax } = nativeNudge ? nativeGrid(lo, hi, quantMin, quantMax) : compositeGrid(lo, hi, quantMin, quantMax);
      if (fused) {
        // collabopt's native kernels (Node, wasm backend): the same operations, one pass each.
        save([xi, bandMin, bandMax]);
        return {
          value: tf.engine().runKernel(FAKE_QUANT_AFFINE_KERNEL, { x: xi, scale, lowLevel, highLevel }) as tf.Tensor,
          gradFunc: (dy: tf.Tensor, [saved, bMin, bMax]: tf.Tensor[]) =>
            tf.engine().runKernel(FAKE_QUANT_AFFINE_GRAD_KERNEL, { dy, x: saved!, bandMin: bMin!, bandMax: bMax! }) as tf.Tensor,
        };
      }
      // Round first, clamp the level afterwards: for x inside the band this is TF's
      // floor(clamp(x) / scale + 0.5) verbatim, and outside it the level of the nearer bound,
      // which is what TF's clamped input rounds to (nudgedMax / scale is within a few ulps of
      // the integer quantMax − zeroPoint). The clamp to [lowLevel, lowLevel + span] is
      // `lowLevel + relu(span − relu(highLevel − level))`, exact on integers, and every kernel is a
      // fast elementwise one on wasm, where tf.minimum/maximum and the comparisons are 10–30x
      // slower per element than arithmetic. wasm's relu maps a NaN with the sign bit set to 0,
      // so NaN inputs are put back by adding `0 · step(x)` (+0, or NaN for NaN): a NaN input
      // gives NaN, as in TF.
      const span = tf.sub(highLevel, lowLevel);
      const level = tf.floor(tf.add(tf.div(xi, scale), 0.5));
      const fromTop = tf.relu(tf.sub(highLevel, level));
      const clamped = tf.add(lowLevel, tf.relu(tf.sub(span, fromTop)));
      const value = tf.add(tf.mul(clamped, scale), tf.mul(tf.step(xi), 0));
      save([passBlocked(xi, bandMin, bandMax)]);
      return {
        value,
        // `where`, not `dy * mask`: an infinite upstream gradient outside the band must give 0,
        // not NaN. The Select kernel directly: tf.where would first copy all three operands
        // (its broadcastTo clones tensors that already have the right shape).
        gradFunc: (dy: tf.Tensor, [blocked]: tf.Tensor[]) =>
          tf.engine().runKernel('Select', { condition: blocked, t: tf.zerosLike(dy), e: dy }) as tf.Tensor,
      };
    });
    return op(input);
  });
}

/** The fake-quant's grid: the step, the level range as offsets from the zero point, the pass band. */
interface FakeQuantGrid {
  readonly scale: tf.Scalar;
  readonly lowLevel: tf.Scalar;
  readonly highLevel: tf.Scalar;
  readonly bandMin: tf.Scalar;
  readonly bandMax: tf.Scalar;
}

/** The grid from tfjs ops (call inside a tidy). */
function compositeGrid(lo: tf.Scalar, hi: tf.Scalar, quantMin: number, quantMax: number): FakeQuantGrid {
  const g = nudgedGridTensors(lo, hi, quantMin, quantMax);
  // Levels as offsets from the zero point: [quantMin − zeroPoint, quantMax − zeroPoint], small
  // integers, so every step below is exact. A degenerate range has the single level 0.
  const zero = tf.zerosLike(g.scale);
  const lowOffset = tf.sub(quantMin, g.zeroPoint);
  const highOffset = tf.sub(quantMax, g.zeroPoint);
  return {
    scale: g.scale,
    lowLevel: tf.where(g.degenerate, zero, lowOffset) as tf.Scalar,
    highLevel: tf.where(g.degenerate, zero, highOffset) as tf.Scalar,
    // The pass band [nudgedMin, nudgedMax]; everything passes for a degenerate range (TF).
    bandMin: tf.where(g.degenerate, tf.fill([], -Infinity), tf.mul(lowOffset, g.scale)) as tf.Scalar,
    bandMax: tf.where(g.degenerate, tf.fill([], Infinity), tf.mul(highOffset, g.scale)) as tf.Scalar,
  };
}

/**
 * {@link compositeGrid} as one native kernel (the same float32 operations): ~25 scalar kernels
 * fewer per quantized activation per step.
 */
function nativeGrid(lo: tf.Scalar, hi: tf.Scalar, quantMin: number, quantMax: number): FakeQuantGrid {
  const [scale, lowLevel, highLevel, bandMin, bandMax] = tf.engine().runKernel(FAKE_QUANT_NUDGE_KERNEL, { min: lo, max: hi }, { quantMin, quantMax }) as tf.Scalar[];
  return { scale: scale!, lowLevel: lowLevel!, highLevel: highLevel!, bandMin: bandMin!, bandMax: bandMax! };
}

/** Largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Boolean mask of the inputs the clipped straight-through gradient blocks: `x < bandMin`,
 * `x > bandMax`, or NaN (TF's `nudgedMin <= x <= nudgedMax` is false for NaN).
 *
 * Built from fast kernels: `step(x − bound)` is 1 exactly when x is beyond the bound (float
 * subtraction keeps the sign of the exact difference), so `allowed = (1 − above − below)` is 1
 * inside the band, 0 outside and NaN for NaN; `allowed · ∞` is NaN exactly where the gradient is
 * blocked (0 · ∞ and NaN · ∞), and `isNaN` turns that into the mask. Infinite inputs are first
 * clamped to ±FLOAT32_MAX so that a degenerate range, whose band is [−∞, ∞], lets them through as
 * TF does (∞ − ∞ would be NaN).
 */
function passBlocked(x: tf.Tensor, bandMin: tf.Scalar, bandMax: tf.Scalar): tf.Tensor {
  return tf.tidy(() => {
    const finite = tf.clipByValue(x, -FLOAT32_MAX, FLOAT32_MAX);
    const above = tf.step(tf.sub(finite, bandMax));
    const below = tf.step(tf.sub(bandMin, finite));
    return tf.isNaN(tf.mul(tf.sub(tf.sub(1, above), below), Infinity));
  });
}
