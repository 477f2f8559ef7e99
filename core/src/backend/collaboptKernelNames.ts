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
export const COLLABOPT_KERNEL_NAMES: ReadonlySet<string> = new Set([FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_AFFINE_GRAD_KERNEL, CLUSTER_PROJECT_KERNEL]);
