import type { OptimizerSpec } from './Recipe';

/**
 * The defaults `validateRecipe` fills in, in one place: the schema publishes them (`default`), the
 * reference documents them, and a runner that builds recipes in code can use the same values.
 */
export const RECIPE_DEFAULTS = Object.freeze({
  /** Seed of plugins' random generators. */
  seed: 0,
  /** Training backend (`selectBackend`'s automatic choice). */
  backend: 'auto' as const,
  /** Batch size of training (baseline and stages). tfjs `fit()`'s own default. */
  batchSize: 32,
  /** Optimizer of training (baseline and stages): Keras' and tfjs' usual Adam rate. */
  optimizer: Object.freeze({ type: 'adam', learningRate: 0.001 }) as Readonly<OptimizerSpec>,
  /** Loss of training: the built-in datasets have one-hot labels. */
  loss: 'categoricalCrossentropy',
  /** Representative samples for calibration: enough for stable min/max ranges, fast to run. */
  representativeSamples: 1000,
  /** Batch size of calibration passes (`Session.calibrate`'s own default). */
  calibrateBatchSize: 32,
});
