import type { StageSpec } from '../recipe/Recipe';
import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';

/** How long a stage trains. */
export interface StageSteps {
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  /** Batches trained in all; 0 for a stage that does not train. */
  readonly steps: number;
  readonly epochs: number;
}

/**
 * A stage's batches: `steps` trains exactly that many (enough epochs, the last one cut short),
 * else `epochs` whole epochs of `trainSamples / batchSize` batches.
 */
export function stageSteps(spec: StageSpec, trainSamples: number): StageSteps {
  const batchSize = spec.batchSize ?? RECIPE_DEFAULTS.batchSize;
  const stepsPerEpoch = Math.ceil(trainSamples / batchSize);
  const steps = spec.steps ?? (spec.epochs ?? 0) * stepsPerEpoch;
  return { batchSize, stepsPerEpoch, steps, epochs: Math.ceil(steps / stepsPerEpoch) };
}
