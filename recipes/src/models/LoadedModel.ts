import type * as tf from '@tensorflow/tfjs';
import type { OptimizationState } from '@collabopt/core';

/** A recipe's model, ready for the baseline or the first stage. */
export interface LoadedModel {
  /** The model (not compiled: the runner compiles it per stage). */
  readonly model: tf.LayersModel;
  /** Which kind of source it came from: `builtin` models are untrained; `path` models are trained and skip the baseline. */
  readonly origin: 'builtin' | 'module' | 'path';
  /** The optimization state saved with a `path` model (empty when it was a plain tfjs model); null for the other sources. */
  readonly state: OptimizationState | null;
  /** Where the model came from, for reports, e.g. `builtin mnist-cnn`. */
  readonly description: string;
}
