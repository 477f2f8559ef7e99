import type { ModelSource, TrainingSpec } from '../recipe/Recipe';

/** One model-and-dataset pair of the seed tables (`collabopt seed-tables`). */
export interface SeedTableSpec {
  /** Prefix of its recipes' names, e.g. `ds-cnn-l-fashion`. */
  readonly id: string;
  /** Table title, e.g. `DS-CNN-L on Fashion-MNIST`. */
  readonly title: string;
  /** The built-in model (full run). */
  readonly model: ModelSource;
  /** The model `--quick` uses (a smaller variant of the same architecture). */
  readonly quickModel: ModelSource;
  /** Built-in dataset. */
  readonly dataset: 'mnist' | 'fashion-mnist';
  /** How the baseline is trained (full run). */
  readonly baseline: TrainingSpec;
  /**
   * Training samples of each fine-tuning stage (the stage's `trainSamples`; full run): the
   * baseline trains on all 60,000, the stages fine-tune on the first N, so the whole table fits
   * the time budget on 2 cores. Epoch-based schedules (pruning's `"1ep"`) follow it.
   */
  readonly fineTuneSamples: number;
  /** The baseline FP32 top-1 the issue accepts for this pair (e.g. 0.993 on MNIST). */
  readonly acceptedAccuracy: number;
}
