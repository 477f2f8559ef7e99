import { listFileExporters, type FileExporter } from '@collabopt/plugins';
import type { JsonSchema } from './JsonSchema';
import { exportFilePattern, recipePatterns } from './recipePatterns';

/**
 * Schema fragment of one entry of `exports`: one branch per registered export format (ajv
 * `discriminator`), each built from its exporter's option properties (`FileExporter`'s
 * `optionProperties`, the variant key included) plus the key naming its target inside the
 * recipe's output directory (`file` / `dir`, replacing the exporter plugin's `path`).
 */
export function exportSpecSchema(): JsonSchema {
  const exporters = listFileExporters();
  const names = exporters.map((e) => `\`${e.format}\``);
  const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
  return {
    type: 'object',
    description: 'One artifact written from the model of the last stage.',
    properties: { format: { type: 'string', description: `Export format: ${listed}.`, examples: [exporters[0].format] } },
    required: ['format'],
    discriminator: { propertyName: 'format' },
    oneOf: exporters.map(branch),
  };
}

function branch(exporter: FileExporter): JsonSchema {
  const variant = `<${exporter.variantKey}>`;
  const directory = exporter.targetExtension === null;
  return {
    type: 'object',
    title: exporter.format,
    properties: {
      format: { const: exporter.format, description: exporter.description },
      [exporter.targetKey]: {
        type: 'string',
        pattern: directory ? recipePatterns.exportDir.pattern : exportFilePattern(exporter.targetExtension as string).pattern,
        description: directory
          ? `Directory name inside the recipe's output directory (replaced as a whole). Default \`${exporter.defaultTarget(variant)}\`.`
          : `File name inside the recipe's output directory. Default \`${exporter.defaultTarget(variant)}\`.`,
        examples: [exporter.targetExample],
      },
      ...(exporter.optionProperties as Record<string, JsonSchema>),
    },
    required: ['format'],
    additionalProperties: false,
  };
}
