import { builtinModels } from '../models/builtinModels';
import type { JsonSchema } from './JsonSchema';
import { exactlyOneOf } from './exactlyOneOf';

/** Schema fragment of `model`: exactly one of `builtin`, `module`, `path`. */
export function modelSourceSchema(): JsonSchema {
  const names = Object.keys(builtinModels);
  return {
    type: 'object',
    description: 'Where the model comes from.',
    examples: [{ builtin: names[0] }],
    properties: {
      builtin: {
        type: 'string',
        enum: names,
        description: `A model defined by collabopt, untrained (the recipe needs a \`baseline\`): ${names
          .map((n) => `\`${n}\` (${builtinModels[n].description})`)
          .join(', ')}.`,
        examples: [names[0]],
      },
      module: {
        type: 'string',
        minLength: 1,
        description:
          'A JavaScript or TypeScript module, relative to the recipe file, exporting `createModel()` that returns a built tf.LayersModel (or a promise of one). `.ts` modules need ts-node (see the recipes README).',
        examples: ['./models/myModel.js'],
      },
      path: {
        type: 'string',
        minLength: 1,
        description:
          'A saved tfjs Layers model directory (model.json + weights), relative to the recipe file. A collabopt stage directory also carries its optimization state, which the first stage inherits; no baseline is trained.',
        examples: ['../out/baseline'],
      },
    },
    additionalProperties: false,
    ...exactlyOneOf(['builtin', 'module', 'path']),
  };
}
