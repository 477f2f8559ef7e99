/**
 * Names of collabopt's own tfjs kernels: ops that tfjs does not have, registered (on the wasm
 * backend, from the native addon) only where collabopt can run them fused.
 *
 * Why this exists: callers in browser-safe code (the quantize plugin) look these kernels up with
 * `tf.getKernel(name, backend)` and fall back to a composite of stock ops where they are absent;
 * registration must know that no stock kernel exists for them. Both sides read the names here.
 */

/**
 * Activation fake-quant forward: inputs `x` (float32, any shape) and the float32 scalars `scale`,
 * `lowLevel`, `highLevel` (the level range as offsets from the zero point); output
 * `clamp(floor(x / scale + 0.5), lowLevel, highLevel) · scale`, bit for bit as the quantize
 * plugin's composite on wasm.
 * @group Backends
 */
export const FAKE_QUANT_AFFINE_KERNEL = 'CollaboptFakeQuantAffine';

/**
 * Its clipped straight-through gradient: inputs `dy`, `x` (same shape, float32) and the float32
 * scalars `bandMin`, `bandMax`; output `dy` where `bandMin ≤ x ≤ bandMax`, else +0.
 * @group Backends
 */
export const FAKE_QUANT_AFFINE_GRAD_KERNEL = 'CollaboptFakeQuantAffineGrad';

/**
 * A range observer's update: inputs `x` (float32, the batch, not empty), `min`, `max` (float32
 * scalars, the current range), attributes `mode` (`'movingAverage'`, `'replace'`, `'widen'`) and
 * `rate` (`1 − decay`, for the moving average); outputs the new `[min, max]` scalars. The batch
 * range is `[minimum(min(x), 0), maximum(max(x), 0)]`; then `v − (v − b) · rate`, `b`, or
 * `[minimum(v, b), maximum(v, b)]` — bit for bit as the quantize plugin's observers on wasm.
 * @group Backends
 */
export const RANGE_OBSERVE_KERNEL = 'CollaboptRangeObserve';

/**
 * The activation fake-quant's grid from its range: inputs `min`, `max` (float32 scalars),
 * attributes `quantMin`, `quantMax` (the unsigned levels); outputs the float32 scalars
 * `[scale, lowLevel, highLevel, bandMin, bandMax]` — TF's nudge (scale 1, levels 0 and band ±∞
 * for a degenerate range), bit for bit as the quantize plugin's composite on wasm — for
 * {@link FAKE_QUANT_AFFINE_KERNEL} and {@link FAKE_QUANT_AFFINE_GRAD_KERNEL}.
 * @group Backends
 */
export const FAKE_QUANT_NUDGE_KERNEL = 'CollaboptFakeQuantNudge';

/**
 * Weight fake-quant, symmetric narrow range (zero point 0), per tensor or per channel: input `x`
 * (float32, the weight), attributes `channels`, `inner` (element `i` is in channel
 * `⌊i / inner⌋ mod channels`; 1 and 1 per tensor), `numBits` (2..8, levels ±(2^(bits−1) − 1)),
 * `ties` (`'even'`, as `tf.round`, or `'awayFromZero'`) and `clip` (clamp the levels). Outputs
 * `[y, scales]`: `scales[c] = max|w| / quantMax` over channel `c` (`1 / quantMax` where that is 0)
 * and `y = level(w / scale) · scale`, bit for bit as the quantize plugin's composite on wasm. The
 * gradient is the caller's (the plugin's straight-through identity).
 * @group Backends
 */
export const FAKE_QUANT_SYMMETRIC_KERNEL = 'CollaboptFakeQuantSymmetric';

/**
 * Relu's gradient in one pass: inputs `dy`, `x` (same shape, float32); output `dy · step(x)`, bit
 * for bit as tfjs-core's gradient on wasm.
 * @group Backends
 */
export const RELU_GRAD_KERNEL = 'CollaboptReluGrad';

/**
 * Relu6's gradient in one pass: inputs `dy`, `x`; output `dy · ((x ≤ 6) · step(x))`, as tfjs-core's.
 * @group Backends
 */
export const RELU6_GRAD_KERNEL = 'CollaboptRelu6Grad';

/**
 * ClipByValue's gradient in one pass: inputs `dy`, `x`, attrs `clipValueMin`, `clipValueMax`;
 * output `dy` where `min ≤ x ≤ max`, else +0, as tfjs-core's.
 * @group Backends
 */
export const CLIP_BY_VALUE_GRAD_KERNEL = 'CollaboptClipByValueGrad';

/**
 * One variable's RMSprop update: inputs `gradient`, `value`, `meanSquare`, `moment` (and
 * `meanGrad` when centered), attrs `decay`, `learningRate`, `epsilon`, `momentum`, `centered`;
 * outputs the new value, mean square, moment (and mean gradient), as tfjs's RMSPropOptimizer.
 * @group Backends
 */
export const RMSPROP_UPDATE_KERNEL = 'CollaboptRmsPropUpdate';

/**
 * One variable's Adam update: inputs `gradient`, `value`, `firstMoment`, `secondMoment` and the
 * scalars `accBeta1`, `accBeta2`, attrs `beta1`, `beta2`, `learningRate`, `epsilon`; outputs the
 * new value, first and second moment, as tfjs's AdamOptimizer.
 * @group Backends
 */
export const ADAM_UPDATE_KERNEL = 'CollaboptAdamUpdate';

/**
 * One variable's momentum update: inputs `gradient`, `value`, `accumulation` and the scalars
 * `momentum`, `c` (−learning rate), attr `nesterov`; outputs the new value and accumulation, as
 * tfjs's MomentumOptimizer.
 * @group Backends
 */
export const MOMENTUM_UPDATE_KERNEL = 'CollaboptMomentumUpdate';

/**
 * BatchNormalization's training forward over the last axis: inputs `x` (float32, rank ≥ 1),
 * `scale` and `offset` (float32, one value per channel), attribute
 * `varianceEpsilon`; outputs `[y, mean, variance]` with the batch mean and the biased variance
 * (what `tf.moments` gives) over every axis but the last, and
 * `y = (x − mean)·rsqrt(variance + ε)·scale + offset`. Differentiable in all three outputs.
 */
export const BATCH_NORM_TRAINING_KERNEL = 'CollaboptBatchNormTraining';

/**
 * Its gradient: inputs `dy`, `x` (same shape), `mean`, `variance`, `scale`, `dmean`,
 * `dvariance` (per channel; the upstream gradients of the statistics), attribute
 * `varianceEpsilon`; outputs `[dx, dscale, doffset]`.
 */
export const BATCH_NORM_TRAINING_GRAD_KERNEL = 'CollaboptBatchNormTrainingGrad';

/**
 * The cluster plugin's per-step projection: inputs `x` (float32, the weight), `centroids` (float32
 * `[channels · k]`, row-major per channel) and, to let the centroids follow the last step,
 * `prevX` and `prevAssignment` (the previous projection's input and assignment); attributes
 * `channels`, `inner` (element `i` is in channel `⌊i / inner⌋ mod channels`), `k`, `update`
 * (`'none'`, `'mean'`, `'sum'`) and `pinZero`. Outputs `[y, assignment, centroids]`: the clustered
 * weight, each element's centroid index within its channel's row (float32 integers) and the
 * moved centroids — bit for bit as the plugin's JavaScript projection.
 * @group Backends
 */
export const CLUSTER_PROJECT_KERNEL = 'CollaboptClusterProject';

/** Every collabopt-own kernel name (registration adds them; there is no stock kernel to replace). */
export const COLLABOPT_KERNEL_NAMES: ReadonlySet<string> = new Set([
  FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_NUDGE_KERNEL, FAKE_QUANT_SYMMETRIC_KERNEL, RANGE_OBSERVE_KERNEL,
  RELU_GRAD_KERNEL, RELU6_GRAD_KERNEL, CLIP_BY_VALUE_GRAD_KERNEL,
  RMSPROP_UPDATE_KERNEL, ADAM_UPDATE_KERNEL, MOMENTUM_UPDATE_KERNEL,
  BATCH_NORM_TRAINING_KERNEL, BATCH_NORM_TRAINING_GRAD_KERNEL,
  CLUSTER_PROJECT_KERNEL,
]);
