import { TFJS_EXPORT_OPTIONS_SCHEMA, tfliteExportOptionProperties } from '@collabopt/plugins';
import type { JsonSchema } from './JsonSchema';
import { recipePatterns } from './recipePatterns';

/**
 * Schema fragment of one entry of `exports`: one branch per `format` (ajv `discriminator`), each
 * built from its exporter plugin's option properties (`tflite`, `tfjsExport`) with the
 * exporter's `path` replaced by a name inside the recipe's output directory (`file` / `dir`).
 */
export function exportSpecSchema(): JsonSchema {
  // The exporters' own schemas document their options; `path` is replaced by `file` / `dir`.
  const tflite = tfliteExportOptionProperties as Record<string, JsonSchema>;
  const tfjs = (TFJS_EXPORT_OPTIONS_SCHEMA as { properties: Record<string, JsonSchema> }).properties;
  return {
    type: 'object',
    description: 'One artifact written from the model of the last stage.',
    properties: { format: { type: 'string', description: 'Export format: `tflite` or `tfjs`.', examples: ['tflite'] } },
    required: ['format'],
    discriminator: { propertyName: 'format' },
    oneOf: [
      {
        type: 'object',
        title: 'tflite',
        properties: {
          format: { const: 'tflite', description: 'A TFLite flatbuffer (the `tflite` exporter).' },
          file: {
            type: 'string',
            pattern: recipePatterns.tfliteFile.pattern,
            description: 'File name inside the recipe\'s output directory. Default `model-<mode>.tflite`.',
            examples: ['model-int8.tflite'],
          },
          ...tflite,
        },
        required: ['format'],
        additionalProperties: false,
      },
      {
        type: 'object',
        title: 'tfjs',
        properties: {
          format: { const: 'tfjs', description: 'A tfjs Layers model: model.json + weight shards (the `tfjsExport` exporter).' },
          dir: {
            type: 'string',
            pattern: recipePatterns.exportDir.pattern,
            description: 'Directory name inside the recipe\'s output directory (replaced as a whole). Default `tfjs-<quantization>`.',
            examples: ['web'],
          },
          ...tfjs,
        },
        required: ['format'],
        additionalProperties: false,
      },
    ],
  };
}
