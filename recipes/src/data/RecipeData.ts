import type * as tf from '@tensorflow/tfjs';

/**
 * The data of a recipe run, as tensors: what the baseline and the stages train on, what accuracy
 * is measured on, and what post-training quantization calibrates on. The caller owns the tensors
 * (`tf.dispose(data)` releases them all).
 */
export interface RecipeData {
  /** Training inputs `[n, ...sample]` and targets `[n, classes]` (one-hot for the built-in datasets). */
  readonly train: { readonly xs: tf.Tensor; readonly ys: tf.Tensor };
  /** Test (validation) inputs and targets, and each sample's class index for top-1 accuracy. */
  readonly test: { readonly xs: tf.Tensor; readonly ys: tf.Tensor; readonly labels: ArrayLike<number> };
  /** Representative inputs for calibration `[m, ...sample]`. */
  readonly representative: tf.Tensor;
  /** Where the data came from, for reports, e.g. `mnist (12000 train, 2000 test)`. */
  readonly description: string;
}
