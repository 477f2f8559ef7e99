import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import type { JsonSchema } from './JsonSchema';
import { optimizerSchema } from './optimizerSchema';

/** tfjs loss names (`model.compile({ loss })`) that make sense for classifiers and regressors. */
const LOSSES = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'hinge',
  'squaredHinge',
  'categoricalHinge',
  'logcosh',
  'kullbackLeiblerDivergence',
  'poisson',
];

/**
 * Schema properties of how to train, shared by `baseline` and every stage (`TrainingSpec`):
 * `epochs` or `steps`, `batchSize`, `optimizer`, `loss`.
 */
export function trainingProperties(role: 'baseline' | 'stage'): Record<string, JsonSchema> {
  return {
    epochs: {
      type: 'integer',
      minimum: 0,
      description:
        role === 'baseline'
          ? 'Epochs of baseline training (or give `steps`).'
          : 'Epochs of fine-tuning. 0 or absent (and no `steps`): the stage does not train (post-training quantization calibrates instead).',
      examples: [role === 'baseline' ? 4 : 1],
    },
    steps: {
      type: 'integer',
      minimum: 1,
      description: 'Training steps (batches) instead of `epochs`: exactly this many batches, the last epoch cut short. Not together with `epochs`.',
      examples: [500],
    },
    batchSize: { type: 'integer', minimum: 1, default: RECIPE_DEFAULTS.batchSize, description: 'Training batch size.', examples: [64] },
    optimizer: optimizerSchema(),
    loss: { type: 'string', enum: LOSSES, default: RECIPE_DEFAULTS.loss, description: 'tfjs loss name.', examples: ['categoricalCrossentropy'] },
  };
}
