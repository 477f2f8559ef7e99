import type * as tf from '@tensorflow/tfjs';
import type { JsonSchema } from '../schema/JsonSchema';

/** A model that recipes can name with `"model": { "builtin": name, "options": {…} }`. */
export interface BuiltinModel {
  /** The name recipes use, e.g. `'mnist-cnn'`. */
  readonly name: string;
  /** One line for docs and `--help`. */
  readonly description: string;
  /** Input shape of one sample (without the batch dimension), e.g. `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Number of classes of the softmax output. */
  readonly classes: number;
  /**
   * JSON Schema of the recipe's `model.options` for this model (an object schema with a
   * `description` and `default` per property); absent when the model takes no options. The recipe
   * schema is built from it, so options are validated before anything runs.
   */
  readonly optionsSchema?: JsonSchema;
  /** Builds a new, untrained instance (deterministic initial weights) from validated options. */
  create(options?: Readonly<Record<string, unknown>>): tf.LayersModel;
}
