/**
 * The gradient of `FusedBatchNorm` (BatchNormalization's op), without `Tile`.
 *
 * Why this exists: tfjs-core's gradient broadcasts `rsqrt(variance + ε)` to the input's shape
 * with `tile` before multiplying, and computes the mean, variance and scale gradients with three
 * separate full-size products and reductions. On the wasm backend `Tile` is a scalar index loop:
 * it took 43% of a DS-CNN training step (depthwise-separable blocks with BatchNormalization, the
 * seed's model class).
 *
 * How: the same formulas, factored so every per-channel factor is applied by a broadcasting
 * multiply and the full-size work is two products and two reductions shared by all five
 * gradients: with r = rsqrt(variance + ε), s = scale (1 when absent), S₁ = Σdy and
 * S₂ = Σdy·(x − mean) over the reduced axes,
 * dx = dy·r·s, dmean = −r·s·S₁, dvariance = −½·r³·s·S₂, dscale = r·S₂, doffset = S₁.
 * Where scale does not have the shape of a per-channel statistic (never the case for tfjs
 * layers), the stock gradient runs.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Makes the `FusedBatchNorm` gradient config; `stock` (tfjs-core's) handles what the factored
 * form does not.
 */
export function fusedBatchNormGradient(stock: tf.GradConfig | undefined): tf.GradConfig {
  return {
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
      const g = Array.isArray(dy) ? dy[0]! : dy;
      if (stock != null && scale != null && scale.size !== mean.size) return stock.gradFunc(dy, saved, attrs);
      const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
      const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
      const stat = (t: tf.Tensor) => tf.reshape(t, mean.shape);
      const reduce = (t: tf.Tensor) => (axes.length > 0 ? stat(tf.sum(t, axes)) : t);
      const r = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
      const s = scale == null ? undefined : stat(scale);
      const rs = s == null ? r : tf.mul(r, s);
      // Computed here, once for all four gradients that share them: the engine runs each
      // gradient function in its own scope, so a lazily cached tensor would not outlive the first.
      const s1 = reduce(g);
      const s2 = reduce(tf.mul(g, tf.sub(x, mean)));
      return {
        x: () => tf.reshape(tf.mul(g, rs), x.shape),
        mean: () => stat(tf.mul(tf.neg(rs), s1)),
        variance: () => stat(tf.mul(tf.mul(tf.mul(tf.mul(r, r), rs), tf.scalar(-0.5)), s2)),
        scale: () => stat(tf.mul(r, s2)),
        offset: () => stat(tf.clone(s1)),
      };
    },
  };
}
