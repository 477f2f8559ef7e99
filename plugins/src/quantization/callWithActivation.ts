import type * as tf from '@tensorflow/tfjs';

/** A tfjs activation object as layers hold it. */
interface ActivationHolder {
  activation: { apply(x: tf.Tensor, axis?: number): tf.Tensor; getClassName(): string };
}

/**
 * Runs `layer`'s own computation (its class's `call`, not a forward-hook wrapper) on `inputs` with
 * its activation replaced by `apply` for the duration of the call, as the core's forward hooks do
 * for `preActivation`. For emulations that must change what happens *inside* an activation (swish's
 * σ(x) rounded onto TFLite's LOGISTIC grid), which a hook before or after it cannot. The layer is
 * left exactly as it was; its class name differs from every built-in activation, so Dense and
 * Conv layers take their unfused path and really call `apply`.
 * @param layer a built layer with an `activation` (Dense, Conv*, Activation, ...).
 * @group Quantization numerics
 */
export function callWithActivation(layer: tf.layers.Layer, inputs: tf.Tensor | tf.Tensor[], apply: (x: tf.Tensor) => tf.Tensor): tf.Tensor | tf.Tensor[] {
  const holder = layer as unknown as ActivationHolder;
  const saved = holder.activation;
  holder.activation = { apply: (x) => apply(x), getClassName: () => `CollaboptEmulated(${saved.getClassName()})` };
  try {
    const own = Object.getPrototypeOf(layer) as { call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] };
    return own.call.call(layer, inputs, {});
  } finally {
    holder.activation = saved;
  }
}
