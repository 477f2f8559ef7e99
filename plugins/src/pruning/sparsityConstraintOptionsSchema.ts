/**
 * The options of `sparsityConstraint`, as JSON Schema: the one source of their types
 * (SparsityConstraintOptions.ts, generated), the README table and the recipe reference.
 * After an edit, `npm run docs:sync` regenerates what derives from it.
 */
import { selectorListSchema } from '@collabopt/core';

/**
 * JSON Schema of the `sparsityConstraint` options.
 * @group Pruning
 * @jsonSchema
 */
export const sparsityConstraintOptionsSchema = {
  type: 'object',
  properties: {
    derive: {
      type: 'boolean',
      default: true,
      description: 'Derive masks from the zeros of supported kernels that have no inherited mask (as TFMOT does between stages).',
    },
    include: {
      ...selectorListSchema,
      description:
        'Layers or weights whose masks to keep (selectors as in `prune`). Omitted: every weight with an inherited mask, plus, with `derive`, every supported kernel with zeros.',
      examples: [['conv1', { className: 'Dense' }]],
    },
    exclude: {
      ...selectorListSchema,
      description: 'Layers or weights whose masks are not kept; wins over `include`. Omitted: none.',
      examples: [['fc2']],
    },
  },
  additionalProperties: false,
} as const;
