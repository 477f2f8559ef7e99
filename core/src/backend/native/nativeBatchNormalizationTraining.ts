/**
 * tfjs-layers' `BatchNormalization.call`, intercepted so that a training step runs on collabopt's
 * two native kernels ({@link BATCH_NORM_TRAINING_KERNEL} and its gradient) instead of tf.moments,
 * FusedBatchNorm and autodiff through both. This is the only place collabopt patches tfjs.
 *
 * Why a patch: tfjs-layers does not expose `normalizeBatchInTraining` (the function to replace),
 * and the layer class is what user models, saved models and collabopt's plugins all use, so a
 * replacement layer would change serialization. The patch replaces the prototype's `call` of the
 * class registered for deserialization; it is installed with the native kernels
 * ({@link installNativeKernels}) and takes the fused path only while both kernels are registered
 * for the active backend, so unregistering them restores the stock path call by call;
 * {@link setNativeBatchNormalizationTraining} with `false` removes it outright.
 *
 * When the fused path runs — everything else calls the original `call`, unchanged:
 * - `training` is truthy (the inference path is never touched);
 * - the layer has both `gamma` and `beta` (`scale` and `center`; the stock training path throws
 *   without them, and still does);
 * - one float32 input of rank 2 to 4, not empty, normalised over its last axis (the layer's
 *   `axis` is −1 or rank − 1; other axes need tfjs's broadcasting path), with `channels` matching
 *   gamma;
 * - the two kernels are registered for the active backend (collabopt's registration on wasm with
 *   the native addon) and the gradient is in place.
 *
 * Semantics, as tfjs-layers 4.x: the batch statistics are the mean and the biased variance over
 * every axis but the channel axis (what tf.moments gives), the output is
 * `(x − mean)·rsqrt(variance + ε)·gamma + beta`, and the moving statistics get the same update,
 * op for op: `v ← v − (v − batch)·(1 − momentum)`. Gradients flow to x, gamma and beta through the
 * statistics, as autodiff through tf.moments gives them.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING_GRAD_KERNEL, BATCH_NORM_TRAINING_KERNEL } from '../collaboptKernelNames';
import { batchNormTrainingGradient } from './batchNormTrainingGradient';

/** The tfjs-layers internals of a LayerVariable the patch uses. */
interface LayerVariableLike {
  read(): tf.Tensor;
  write(value: tf.Tensor): unknown;
}

/** The tfjs-layers internals of a BatchNormalization layer the patch uses. */
interface BatchNormalizationLike {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly gamma?: LayerVariableLike;
  readonly beta?: LayerVariableLike;
  readonly movingMean: LayerVariableLike;
  readonly movingVariance: LayerVariableLike;
}

type Inputs = tf.Tensor | tf.Tensor[];
type LayerCall = (this: BatchNormalizationLike, inputs: Inputs, kwargs: Record<string, unknown> | undefined) => tf.Tensor | tf.Tensor[];

/** The patched prototype and its original `call` while the patch is installed. */
let installed: { prototype: { call: LayerCall }; original: LayerCall } | undefined;

/**
 * Installs (`true`) or removes (`false`) the interception; repeated calls with the same value do
 * nothing. Installing also registers the kernel's gradient where none is (it stays on removal: the
 * kernel name is collabopt's own, and a tape recorded before removal still needs it). A no-op when
 * no BatchNormalization class is registered (tfjs-layers not loaded).
 */
export function setNativeBatchNormalizationTraining(enabled: boolean): void {
  if (!enabled) {
    if (installed != null) installed.prototype.call = installed.original;
    installed = undefined;
    return;
  }
  if (installed != null) return;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['BatchNormalization'];
  if (entry == null) return;
  const prototype = entry[0].prototype as unknown as { call: LayerCall };
  const original = prototype.call;
  if (tf.getGradient(BATCH_NORM_TRAINING_KERNEL) == null) tf.registerGradient(batchNormTrainingGradient);
  prototype.call = function (this: BatchNormalizationLike, inputs, kwargs) {
    const input = fusedInput(this, inputs, kwargs);
    return input == null ? original.call(this, inputs, kwargs) : trainingStep(this, input);
  };
  installed = { prototype, original };
}

/** The input tensor when the fused path applies to this call, else undefined. */
function fusedInput(layer: BatchNormalizationLike, inputs: Inputs, kwargs: Record<string, unknown> | undefined): tf.Tensor | undefined {
  if (kwargs == null || !kwargs['training']) return undefined;
  if (!layer.scale || !layer.center || layer.gamma == null || layer.beta == null) return undefined;
  const input = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : undefined) : inputs;
  if (!(input instanceof tf.Tensor) || input.dtype !== 'float32' || input.rank < 2 || input.rank > 4 || input.size === 0) return undefined;
  const axis = layer.axis >= 0 ? layer.axis : layer.axis + input.rank;
  if (axis !== input.rank - 1) return undefined;
  const backend = tf.getBackend();
  if (tf.getKernel(BATCH_NORM_TRAINING_KERNEL, backend) == null || tf.getKernel(BATCH_NORM_TRAINING_GRAD_KERNEL, backend) == null ||
    tf.getGradient(BATCH_NORM_TRAINING_KERNEL) == null) return undefined;
  const gamma = layer.gamma.read();
  if (gamma.rank !== 1 || gamma.shape[0] !== input.shape[axis]) return undefined;
  return input;
}

/** The training step on the fused kernel, with tfjs-layers' moving-average updates. */
function trainingStep(layer: BatchNormalizationLike, input: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [y, mean, variance] = tf.engine().runKernel(
      BATCH_NORM_TRAINING_KERNEL, { x: input, scale: layer.gamma!.read(), offset: layer.beta!.read() }, { varianceEpsilon: layer.epsilon },
    ) as tf.Tensor[];
    movingAverage(layer.movingMean, mean!, layer.momentum);
    movingAverage(layer.movingVariance, variance!, layer.momentum);
    return y!;
  });
}

/** tfjs-layers' doMovingAverage, op for op, so the moving statistics round the same way. */
function movingAverage(variable: LayerVariableLike, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const decay = 1 - momentum;
    const origValue = variable.read();
    const updateDelta = tf.mul(tf.sub(origValue, value), decay);
    variable.write(tf.sub(origValue, updateDelta));
  });
}
