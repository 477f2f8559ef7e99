import { PluginOptionsError, validatePluginOptions } from '@collabopt/core';

/**
 * What the TFLite file computes with:
 * - `float32`: float weights and activations (no quantization);
 * - `float16`: weights stored as float16, dequantized to float32 by DEQUANTIZE ops at load time;
 * - `dynamic-range`: conv/depthwise/dense weights stored as int8 (per output channel for
 *   conv/depthwise, per tensor for dense), float activations (TFLite's hybrid kernels);
 * - `int8`: full integer: int8 weights and activations, int32 biases; activation ranges come
 *   from the optimization state (see the README's int8 contract).
 * @group Export: TFLite
 */
export type TfliteMode = 'float32' | 'float16' | 'dynamic-range' | 'int8';

/**
 * Type of the model's input and output tensors in an `int8` file.
 * @group Export: TFLite
 */
export type TfliteIoType = 'float32' | 'int8';

/**
 * Options of {@link exportTflite} (and, with `path`, of the `tflite` exporter plugin).
 * @group Export: TFLite
 */
export interface TfliteExportOptions {
  /** Default `'float32'`. */
  readonly mode: TfliteMode;
  /**
   * `'float32'` (default): float inputs/outputs, converted by QUANTIZE/DEQUANTIZE ops inside an
   * int8 file. `'int8'`: the int8 file takes and returns int8 tensors directly (their scale and
   * zero point are in the file and in the report); only with `mode: 'int8'`.
   */
  readonly inputOutputType: TfliteIoType;
  /** Batch size the file's shapes are fixed to. Default 1. */
  readonly batchSize: number;
  /** Written into the file's `description`. Default `'collabopt'`. */
  readonly description: string;
  /**
   * An int32 bias that overflows (a channel whose weights are tiny but whose bias is not):
   * `'throw'` (default) or `'clamp'` as TFLite's own quantizer does silently.
   */
  readonly biasOverflow: 'throw' | 'clamp';
  /**
   * Scales of Dense (FULLY_CONNECTED) int8 weights in an `int8` file: `'per-tensor'` (default, as
   * TFMOT, and the only form TFLite 2.9 computes right) or `'per-channel'` (one scale per output
   * unit; keeps a per-channel `int8-grid` on a Dense kernel). Per-channel int8 FULLY_CONNECTED
   * runs correctly in LiteRT and current TFLite, but TFLite 2.9 (tfjs-tflite-node) ignores the
   * per-channel scales and returns wrong outputs. Only with `mode: 'int8'`.
   */
  readonly denseWeights: 'per-tensor' | 'per-channel';
}

/**
 * JSON Schema properties of {@link TfliteExportOptions}, shared with the exporter plugin's schema.
 * @group Export: TFLite
 * @jsonSchema
 */
export const tfliteExportOptionProperties = Object.freeze({
  mode: {
    type: 'string',
    enum: ['float32', 'float16', 'dynamic-range', 'int8'],
    default: 'float32',
    description:
      '`float32`: no quantization; `float16`: weights stored as float16 (DEQUANTIZE ops at load time); `dynamic-range`: int8 conv/depthwise/dense weights, float activations (TFLite\'s hybrid kernels); `int8`: full integer — int8 weights and activations, int32 biases, activation ranges from the optimization state (needs `quantize`, QAT or PTQ, before it).',
    examples: ['int8'],
  },
  inputOutputType: {
    type: 'string',
    enum: ['float32', 'int8'],
    default: 'float32',
    description:
      'Type of the model\'s input and output tensors: `float32` (QUANTIZE/DEQUANTIZE ops inside an int8 file) or `int8` (the file takes and returns int8 tensors; their scale and zero point are in the file and the report); `int8` only with `mode: "int8"`.',
  },
  batchSize: { type: 'integer', minimum: 1, default: 1, description: 'Batch size the file\'s shapes are fixed to.' },
  description: { type: 'string', default: 'collabopt', description: 'Written into the file\'s `description` field.', examples: ['mnist-cnn, pruned 50%'] },
  biasOverflow: {
    type: 'string',
    enum: ['throw', 'clamp'],
    default: 'throw',
    description: 'An int32 bias that overflows (a channel whose weights are tiny but whose bias is not): `throw`, or `clamp` as TFLite\'s own quantizer does silently.',
  },
  denseWeights: {
    type: 'string',
    enum: ['per-tensor', 'per-channel'],
    default: 'per-tensor',
    description:
      'Scales of Dense int8 weights in an `int8` file: `per-tensor` (as TFMOT; the only form TFLite 2.9 / tfjs-tflite-node computes right) or `per-channel` (one per output unit; right in LiteRT and current TFLite, wrong outputs in TFLite 2.9). Only with `mode: "int8"`.',
  },
});

/**
 * JSON Schema of {@link TfliteExportOptions}.
 * @group Export: TFLite
 * @jsonSchema
 */
export const tfliteExportOptionsSchema: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  properties: tfliteExportOptionProperties,
  additionalProperties: false,
});

/**
 * Validates TFLite export options (ajv, like plugin options) and fills defaults.
 * @param plugin name used in error messages (`'tflite'` for the plugin, `'exportTflite'` otherwise).
 * @param schema the schema to validate against (the plugin adds `path`).
 * @throws PluginOptionsError naming every bad option, including `inputOutputType: 'int8'` or
 *   `denseWeights: 'per-channel'` without `mode: 'int8'`.
 * @group Export: TFLite
 */
export function resolveTfliteExportOptions<O extends TfliteExportOptions>(
  input: unknown,
  plugin = 'exportTflite',
  schema: Readonly<Record<string, unknown>> = tfliteExportOptionsSchema,
): O {
  const options = validatePluginOptions<O>(plugin, schema as Record<string, unknown>, input ?? {});
  if (options.inputOutputType === 'int8' && options.mode !== 'int8') {
    throw new PluginOptionsError(plugin, [
      {
        pointer: '/inputOutputType',
        expected: `'float32' unless mode is 'int8' (int8 inputs and outputs need a full-integer model; mode is '${options.mode}')`,
        received: options.inputOutputType,
      },
    ]);
  }
  if (options.denseWeights === 'per-channel' && options.mode !== 'int8') {
    throw new PluginOptionsError(plugin, [
      {
        pointer: '/denseWeights',
        expected: `'per-tensor' unless mode is 'int8' (per-channel Dense weights are written by full-integer files only; mode is '${options.mode}')`,
        received: options.denseWeights,
      },
    ]);
  }
  return options;
}
