import type * as tf from '@tensorflow/tfjs';
import type { OptimizationState, Session } from '@collabopt/core';
import type { StageSpec } from '../recipe/Recipe';
import { kernelSample } from './kernelSample';
import { kernelStats } from './kernelStats';
import type { RunContext } from './RunContext';
import { STAGE_FORMAT_VERSION } from './stageHashes';
import type { Int8Result, StageRecord } from './StageRecord';
import type { StageSteps } from './stageSteps';
import type { StageTraining } from './trainOrCalibrate';

/** What a finished stage measured, for {@link recordStage}. */
export interface FinishedStage {
  readonly index: number;
  readonly spec: StageSpec;
  readonly session: Session;
  readonly model: tf.LayersModel;
  readonly state: OptimizationState;
  readonly steps: StageSteps;
  readonly training: StageTraining;
  /** Whether the stage's plugins emulated inference (recorded as `quantized`). */
  readonly emulated: boolean;
  readonly accuracy: number;
  readonly int8: Int8Result;
  readonly seconds: number;
}

/**
 * The record a finished stage leaves in its directory (`stage.json`): where it sits in the recipe,
 * its plugins, how it trained, what it measured, and its kernels' statistics. `quantized` says the
 * stage's plugins emulated inference (its top-1 is then the fake-int8 one).
 */
export function recordStage(ctx: RunContext, stage: FinishedStage): StageRecord {
  const { recipe, data } = ctx;
  const { index, spec, session, model, state, steps, training } = stage;
  return {
    format: 'collabopt-stage',
    version: STAGE_FORMAT_VERSION,
    hash: ctx.hashes[index],
    recipe: recipe.name,
    index,
    name: spec.name,
    path: ['baseline', ...recipe.stages.slice(0, index).map((s) => s.name)],
    quantized: stage.emulated,
    plugins: session.plugins.map((p) => p.name),
    training: {
      epochs: steps.epochs,
      steps: steps.steps,
      batchSize: steps.steps > 0 ? steps.batchSize : null,
      calibrationBatches: training.calibrationBatches,
      seconds: stage.seconds,
      history: training.history,
    },
    accuracy: stage.accuracy,
    testSamples: data.test.labels.length,
    int8: stage.int8,
    kernels: kernelStats(model, state),
    kernelSample: kernelSample(model),
    finishedAt: new Date().toISOString(),
  };
}
