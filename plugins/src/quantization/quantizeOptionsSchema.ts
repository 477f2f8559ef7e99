/**
 * The options of `quantize`, as JSON Schema: the one source of their types (QuantizeOptions.ts,
 * generated), the README table, the recipe reference and the defaults (validation fills them in).
 * After an edit, `npm run docs:sync` regenerates what derives from it.
 */
import { selectorListSchema } from '@collabopt/core';

/**
 * JSON Schema of the `quantize` options.
 * @group Quantization
 * @jsonSchema
 */
export const quantizeOptionsSchema = {
  type: 'object',
  properties: {
    mode: {
      enum: ['qat', 'ptq'],
      default: 'qat',
      description:
        '`qat`: quantization-aware training (ranges follow training batches with a moving average); `ptq`: post-training quantization (ranges are the min/max over `session.calibrate()` batches — a recipe stage\'s `calibrate` — and nothing trains).',
    },
    weightBits: { type: 'integer', minimum: 2, maximum: 8, default: 8, description: 'Weight bit width (symmetric narrow range); the int8 exporter needs 8.' },
    activationBits: { type: 'integer', minimum: 2, maximum: 8, default: 8, description: 'Activation bit width (asymmetric).' },
    activationDecay: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.999, description: 'EMA decay of the QAT range observers (TFMOT\'s).' },
    rangeInit: {
      enum: ['firstBatch', 'tfmot'],
      default: 'firstBatch',
      description: 'How QAT ranges start: `firstBatch` takes the first training batch\'s min/max, then averages; `tfmot` starts at ±6 as TFMOT does (needs many steps to converge at decay 0.999).',
    },
    include: {
      ...selectorListSchema,
      description: 'Layers to quantize (weights and activations); the others stay float. Selectors as in `prune`. Omitted: every layer.',
      examples: [['conv1', 'conv2']],
    },
    exclude: { ...selectorListSchema, description: 'Layers to leave float; wins over `include`. Omitted: none.', examples: [['fc2']] },
  },
  additionalProperties: false,
} as const;
