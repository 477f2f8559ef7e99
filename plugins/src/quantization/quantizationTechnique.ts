import { Int8GridInvariant, selectorSchema } from '@collabopt/core';
import { defineTechnique } from '../common/defineTechnique';
import { quantize } from './QuantizePlugin';
import { quantizeOptionsSchema } from './quantizeOptionsSchema';

/**
 * Quantization: `quantize` (quantization-aware training, or post-training calibration).
 * @group Quantization
 */
export const quantizationTechnique = defineTechnique({
  name: 'quantization',
  plugins: [quantize],
  establishes: [Int8GridInvariant.name],
  optionTypes: [
    {
      path: 'plugins/src/quantization/QuantizeOptions.ts',
      source: 'quantizeOptionsSchema.ts',
      imports: ["import type { Selector } from '@collabopt/core';"],
      named: new Map<object, string>([[selectorSchema, 'Selector']]),
      declarations: [
        {
          kind: 'interface',
          name: 'QuantizeOptions',
          doc: 'Options of {@link quantize}.\n@group Quantization',
          properties: quantizeOptionsSchema.properties,
        },
      ],
    },
  ],
});
