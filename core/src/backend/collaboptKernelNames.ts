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

/** Every collabopt-own kernel name (registration adds them; there is no stock kernel to replace). */
export const COLLABOPT_KERNEL_NAMES: ReadonlySet<string> = new Set([FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_AFFINE_GRAD_KERNEL, BATCH_NORM_TRAINING_KERNEL, BATCH_NORM_TRAINING_GRAD_KERNEL]);
