import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import type { JsonSchema } from './JsonSchema';
import { pluginSpecSchema } from './pluginSpecSchema';
import type { RecipePluginFactory } from './recipePlugins';
import { recipePatterns } from './recipePatterns';
import { trainingProperties } from './trainingProperties';

/**
 * Schema fragment of one stage: a `collab()` session with its plugins, trained or calibrated.
 * @param releasable - the invariants `release` may name.
 */
export function stageSchema(plugins: Iterable<RecipePluginFactory>, releasable: readonly string[]): JsonSchema {
  return {
    type: 'object',
    description: 'One optimization stage: a session with these plugins, inheriting the optimization state of the stage before it.',
    properties: {
      name: {
        type: 'string',
        pattern: recipePatterns.safeName.pattern,
        maxLength: 64,
        description: 'Stage name, unique in the recipe: names the saved stage directory and the results row. Runners may reuse a stage whose recipe prefix is identical.',
        examples: ['prune'],
      },
      description: { type: 'string', description: 'What the stage does, for reports.', examples: ['magnitude pruning to 50% sparsity'] },
      plugins: {
        type: 'array',
        minItems: 1,
        description: 'The plugins of the session, in any order (the composer orders them by their invariants).',
        examples: [[{ plugin: 'sparsityConstraint' }, { plugin: 'quantize' }]],
        items: pluginSpecSchema(plugins),
      },
      release: {
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', enum: [...releasable] },
        description: 'Inherited invariants to drop explicitly (e.g. `sparsity`, to let a stage move pruned weights).',
        examples: [['sparsity']],
      },
      calibrate: {
        type: 'object',
        description:
          'Calibration passes over the representative data before the stage finishes (post-training quantization; required with `quantize` in `ptq` mode).',
        examples: [{ batchSize: 100 }],
        properties: {
          steps: { type: 'integer', minimum: 1, description: 'At most this many batches. Default: all the representative data.', examples: [10] },
          batchSize: { type: 'integer', minimum: 1, default: RECIPE_DEFAULTS.calibrateBatchSize, description: 'Calibration batch size.', examples: [100] },
        },
        additionalProperties: false,
      },
      trainSamples: {
        type: 'integer',
        minimum: 1,
        description:
          'Fine-tune on the first N training samples: an epoch of this stage is N samples (epoch-based plugin options such as `"1ep"` follow it). Default: all the training data.',
        examples: [15000],
      },
      ...trainingProperties('stage'),
    },
    required: ['name', 'plugins'],
    additionalProperties: false,
  };
}
