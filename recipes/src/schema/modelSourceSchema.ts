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
      options: {
        type: 'object',
        description: `Only with \`builtin\`: the built-in model's options. ${builtinOptionsText(names)}`,
        examples: [{ size: 'L' }],
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
    // Each built-in model's own options schema applies when it is named; models without options refuse any.
    allOf: names.map((n) => ({
      if: { properties: { builtin: { const: n } }, required: ['builtin'] },
      then: { properties: { options: builtinModels[n].optionsSchema ?? { type: 'object', properties: {}, additionalProperties: false } } },
    })),
    // `options` without `builtin` is reported as a missing `builtin` (a module or path takes none).
    dependencies: { options: ['builtin'] },
  };
}

/** One sentence per built-in model that takes options: each option, its default and description (from the model's own schema). */
function builtinOptionsText(names: readonly string[]): string {
  const parts: string[] = [];
  for (const n of names) {
    const props = (builtinModels[n].optionsSchema?.['properties'] ?? {}) as Record<string, { default?: unknown; description?: string }>;
    const options = Object.entries(props).map(([k, p]) => `\`${k}\` (default ${JSON.stringify(p.default)}): ${p.description ?? ''}`);
    if (options.length > 0) parts.push(`\`${n}\`: ${options.join(' ')}`);
  }
  const none = names.filter((n) => !builtinModels[n].optionsSchema);
  return `${parts.join(' ')}${none.length > 0 ? ` ${none.map((n) => `\`${n}\``).join(', ')} take none.` : ''}`;
}
