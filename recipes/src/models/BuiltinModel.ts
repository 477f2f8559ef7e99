import type * as tf from '@tensorflow/tfjs';

/** A model that recipes can name with `"model": { "builtin": name }`. */
export interface BuiltinModel {
  /** The name recipes use, e.g. `'mnist-cnn'`. */
  readonly name: string;
  /** One line for docs and `--help`. */
  readonly description: string;
  /** Input shape of one sample (without the batch dimension), e.g. `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Number of classes of the softmax output. */
  readonly classes: number;
  /** Builds a new, untrained instance (deterministic initial weights). */
  create(): tf.LayersModel;
}
