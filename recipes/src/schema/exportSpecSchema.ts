import { TFJS_EXPORT_OPTIONS_SCHEMA, tfliteExportOptionProperties } from '@collabopt/plugins';
import type { JsonSchema } from './JsonSchema';
import { recipePatterns } from './recipePatterns';

// What each exporter option means, for editors and the reference (the exporters' schemas carry
// no descriptions for TFLite; tfjs's own descriptions win).
const TFLITE_DOCS: Record<string, { description: string; example: unknown }> = {
  mode: {
    description:
      '`float32`; `float16` (weights stored as float16); `dynamic-range` (int8 weights, float activations); `int8` (full integer: needs a `quantize` stage, QAT or PTQ).',
    example: 'int8',
  },
  inputOutputType: { description: 'Type of the model\'s input and output tensors; `int8` only with `mode: "int8"`.', example: 'float32' },
  batchSize: { description: 'Batch size the file\'s shapes are fixed to.', example: 1 },
  description: { description: 'Written into the file\'s `description` field.', example: 'mnist-cnn, pruned 50%' },
  biasOverflow: { description: 'An int32 bias that overflows: `throw`, or `clamp` as TFLite\'s own quantizer does silently.', example: 'throw' },
};

/**
 * Schema fragment of one entry of `exports`: one branch per `format` (ajv `discriminator`), each
 * built from its exporter plugin's option properties (`tflite`, `tfjsExport`) with the
 * exporter's `path` replaced by a name inside the recipe's output directory (`file` / `dir`).
 */
export function exportSpecSchema(): JsonSchema {
  const tflite = Object.fromEntries(
    Object.entries(tfliteExportOptionProperties as Record<string, JsonSchema>).map(([key, schema]) => [
      key,
      { ...schema, description: TFLITE_DOCS[key]?.description, examples: TFLITE_DOCS[key] ? [TFLITE_DOCS[key].example] : undefined },
    ]),
  );
  const tfjs = Object.fromEntries(
    Object.entries((TFJS_EXPORT_OPTIONS_SCHEMA as { properties: Record<string, JsonSchema> }).properties).map(([key, schema]) => [
      key,
      { ...schema, examples: [key === 'quantization' ? 'uint8' : schema.default] },
    ]),
  );
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
          ...withoutUndefined(tflite),
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

function withoutUndefined(properties: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(properties).map(([k, s]) => [k, Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined))]),
  );
}
