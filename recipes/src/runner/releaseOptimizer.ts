import type * as tf from '@tensorflow/tfjs';

/**
 * Detaches and disposes the optimizer a model holds, leaving the model uncompiled for saving.
 *
 * Why: every stage compiles a fresh optimizer, so an optimizer must never outlive its stage, and
 * tfjs leaks in two places here. A model loaded from files that carry a training config gets a
 * deserialized optimizer the model does not own, so `model.dispose()` leaves its variables
 * behind; and `model.save()` with the optimizer included leaks the scalar of
 * `optimizer.getWeights()`'s iteration count. Releasing the optimizer after loading and before
 * saving avoids both — and keeps optimizer state, which no later stage uses, out of the stage
 * directories.
 */
export function releaseOptimizer(model: tf.LayersModel): void {
  const optimizer = model.optimizer as tf.Optimizer | null | undefined;
  if (optimizer == null) return;
  // tfjs's public setter; null means "not compiled with an optimizer" to save() and getters.
  model.optimizer = null as unknown as tf.Optimizer;
  optimizer.dispose();
}
