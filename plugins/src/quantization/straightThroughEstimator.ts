import * as tf from '@tensorflow/tfjs';

/**
 * Where a {@link straightThroughEstimator} lets the gradient through: inputs in
 * `[lower, upper]` (inclusive), or everywhere while `passAll` is true.
 * @group Quantization numerics
 */
export interface PassBand {
  /** Lowest input that still receives gradient (scalar, or broadcastable to the input). */
  readonly lower: tf.Tensor | number;
  /** Highest input that still receives gradient (scalar, or broadcastable to the input). */
  readonly upper: tf.Tensor | number;
  /** Optional boolean scalar; when true the whole gradient passes (TF's min = max = 0 case). */
  readonly passAll?: tf.Tensor;
}

/**
 * Applies a piecewise-constant `forward` (rounding, clamping) to `x`, with the straight-through
 * gradient `dy` in place of its true derivative, which is zero almost everywhere.
 *
 * - Without `band`, the gradient is the identity: the estimator for weights whose grid is sized by
 *   the weights themselves, so that every weight lies inside it.
 * - With `band`, the gradient is `dy` for inputs in `[lower, upper]` and exactly 0 outside: TF's
 *   `FakeQuantWithMinMaxVarsGradient` w.r.t. its input, so that training stops pushing values that
 *   are already clamped.
 *
 * Only `x` receives a gradient. Tensors used by `forward` or `band` (ranges, scales) are treated as
 * constants: the forward reads them through a closure, and the band tensors are saved for the
 * backward pass by `tf.customGrad` (only while a gradient tape is recording), so the caller may
 * dispose its own copies as soon as this returns. `forward` runs inside the custom op's own tidy.
 * @group Quantization numerics
 */
export function straightThroughEstimator(
  x: tf.Tensor,
  forward: (x: tf.Tensor) => tf.Tensor,
  band?: PassBand,
): tf.Tensor {
  // customGrad passes the inputs and then the save function through one rest parameter.
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xIn = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const value = forward(xIn);
    if (band === undefined) {
      return { value, gradFunc: (dy: tf.Tensor) => tf.clone(dy) };
    }
    const bounds = tf.tidy(() => [tf.cast(band.lower, 'float32'), tf.cast(band.upper, 'float32')]);
    const saved: tf.Tensor[] = [xIn, ...bounds];
    if (band.passAll !== undefined) saved.push(band.passAll);
    save(saved);
    return {
      value,
      gradFunc: (dy: tf.Tensor, kept: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xs, lower, upper, passAll] = kept;
          let pass = tf.logicalAnd(tf.greaterEqual(xs, lower), tf.lessEqual(xs, upper));
          if (passAll !== undefined) pass = tf.logicalOr(pass, passAll);
          // `where`, not `dy * mask`: an infinite upstream gradient outside the band must give 0,
          // not NaN.
          return tf.where(pass, dy, tf.zerosLike(dy));
        }),
    };
  });
  return op(x);
}
