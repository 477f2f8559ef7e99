import * as tf from '@tensorflow/tfjs';
import type { Session } from '@collabopt/core';
import type { StageSpec } from '../recipe/Recipe';
import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import { createOptimizer, LearningRateSchedule } from './createOptimizer';
import { ProgressCallback } from './ProgressCallback';
import type { RunContext } from './RunContext';
import type { EpochLog } from './StageRecord';
import type { StageSteps } from './stageSteps';

/** What {@link trainOrCalibrate} did. */
export interface StageTraining {
  readonly history: EpochLog[];
  /** Calibration batches run (0 when the stage trained or did neither). */
  readonly calibrationBatches: number;
}

/**
 * Trains the stage (`fit` with the session callback, batches in dataset order, on the stage's
 * `trainSamples` when given) when it has steps;
 * otherwise calibrates over the representative data when the recipe asks for it or a plugin
 * emulates inference (its ranges must come from somewhere: post-training quantization).
 */
export async function trainOrCalibrate(ctx: RunContext, spec: StageSpec, session: Session, model: tf.LayersModel, steps: StageSteps, emulates: boolean): Promise<StageTraining> {
  const { data, options } = ctx;
  const history: EpochLog[] = [];
  if (steps.steps > 0) {
    const where = `recipe '${ctx.recipe.name}', stage '${spec.name}'`;
    const optimizer = createOptimizer(spec.optimizer, where);
    model.compile({ optimizer, loss: spec.loss ?? RECIPE_DEFAULTS.loss, metrics: ['accuracy'] });
    // A stage's `trainSamples` fine-tunes on the first N samples (a slice is a copy in tfjs: disposed after).
    const all = data.train.xs.shape[0];
    const n = Math.min(spec.trainSamples ?? all, all);
    const xs = n < all ? data.train.xs.slice(0, n) : data.train.xs;
    const ys = n < all ? data.train.ys.slice(0, n) : data.train.ys;
    try {
      await model.fit(xs, ys, {
        epochs: steps.epochs,
        batchSize: steps.batchSize,
        shuffle: false,
        verbose: 0,
        callbacks: [
          new LearningRateSchedule(optimizer, spec.optimizer, steps.epochs),
          session.callback(),
          new ProgressCallback(ctx, model, steps.epochs, steps.stepsPerEpoch, steps.steps, history),
        ],
      });
    } finally {
      if (xs !== data.train.xs) tf.dispose([xs, ys]);
    }
    return { history, calibrationBatches: 0 };
  }
  if (!spec.calibrate && !emulates) return { history, calibrationBatches: 0 };
  options.progress?.activity?.('calibrating');
  const batchSize = spec.calibrate?.batchSize ?? RECIPE_DEFAULTS.calibrateBatchSize;
  const calibrationSteps = spec.calibrate?.steps ?? Infinity;
  await session.calibrate(data.representative, { batchSize, steps: calibrationSteps });
  return { history, calibrationBatches: Math.min(calibrationSteps, Math.ceil(data.representative.shape[0] / batchSize)) };
}
