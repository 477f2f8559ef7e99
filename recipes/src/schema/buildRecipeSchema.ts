import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import { dataSourceSchema } from './dataSourceSchema';
import { exportSpecSchema } from './exportSpecSchema';
import type { JsonSchema } from './JsonSchema';
import { modelSourceSchema } from './modelSourceSchema';
import { recipePatterns } from './recipePatterns';
import { recipePlugins, type RecipePluginFactory } from './recipePlugins';
import { releasableInvariants } from './releasableInvariants';
import { stageSchema } from './stageSchema';
import { trainingProperties } from './trainingProperties';

/**
 * Assembles the recipe JSON Schema (draft-07) from its fragments — top level, model, data,
 * training, stage, export — and one branch per plugin built from each factory's `optionsSchema`.
 * Strict: every object has `additionalProperties: false`. This is the schema published as
 * `recipes/schema/recipe.schema.json` (see `scripts/generate-recipe-files.js`) and the one
 * `validateRecipe` compiles.
 *
 * @param plugins - the plugins stages may list; default {@link recipePlugins}.
 * @param releasable - the invariants a stage may `release`; default those the registered
 *   techniques establish ({@link releasableInvariants}).
 */
export function buildRecipeSchema(plugins: Iterable<RecipePluginFactory> = recipePlugins.values(), releasable: readonly string[] = releasableInvariants()): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: 'Generated from recipes/src/schema by `node recipes/scripts/generate-recipe-files.js`; do not edit.',
    title: 'collabopt recipe',
    description:
      'One deployment path of collaborative optimization: a model, its data, how to train the baseline, the optimization stages in order, and the exports.',
    type: 'object',
    properties: {
      $schema: {
        type: 'string',
        pattern: recipePatterns.schemaReference.pattern,
        description: 'Path or URL of this schema, so editors validate and complete the recipe. Ignored by collabopt.',
        examples: ['../schema/recipe.schema.json'],
      },
      name: {
        type: 'string',
        pattern: recipePatterns.safeName.pattern,
        maxLength: 64,
        description: 'Recipe name: names the output directory and the results rows.',
        examples: ['prune-pqat'],
      },
      description: { type: 'string', description: 'What the recipe does, for reports.', examples: ['prune → PQAT → int8 TFLite'] },
      seed: {
        type: 'integer',
        minimum: 0,
        maximum: 4294967295,
        default: RECIPE_DEFAULTS.seed,
        description: 'Seed of the plugins\' random generators, so runs are reproducible.',
        examples: [42],
      },
      backend: {
        type: 'string',
        enum: ['auto', 'tensorflow', 'wasm', 'cpu'],
        default: RECIPE_DEFAULTS.backend,
        description: 'Training backend: `auto` picks tfjs-node when installed, else wasm with collabopt\'s training kernels, else cpu.',
        examples: ['wasm'],
      },
      model: modelSourceSchema(),
      data: dataSourceSchema(),
      baseline: {
        type: 'object',
        description:
          'How to train the baseline when the model starts untrained (`builtin`, or a `module` whose model is untrained); required with `builtin`, ignored for saved models (`path`).',
        examples: [{ epochs: 4, batchSize: 64, optimizer: { type: 'adam', learningRate: 0.005 } }],
        properties: trainingProperties('baseline'),
        additionalProperties: false,
      },
      stages: {
        type: 'array',
        minItems: 1,
        description: 'The optimization stages, in order; each inherits the optimization state of the one before.',
        examples: [[{ name: 'prune', plugins: [{ plugin: 'prune', finalSparsity: 0.5, endStep: '1ep' }], epochs: 2 }]],
        items: stageSchema(plugins, releasable),
      },
      exports: {
        type: 'array',
        default: [],
        description: 'Artifacts written from the model of the last stage.',
        examples: [[{ format: 'tflite', mode: 'int8' }]],
        items: exportSpecSchema(),
      },
    },
    required: ['name', 'model', 'data', 'stages'],
    additionalProperties: false,
  };
}
