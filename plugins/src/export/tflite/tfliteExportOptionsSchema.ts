/**
 * The one source of the TFLite exporter's options: the option types (`TfliteExportOptions.ts`),
 * the README table and the recipe schema's `tflite` branch are derived from it (`npm run docs:sync`).
 */

/**
 * JSON Schema properties of `TfliteExportOptions`, shared with the exporter plugin's schema and
 * the recipe schema.
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
 * JSON Schema of `TfliteExportOptions`.
 * @group Export: TFLite
 * @jsonSchema
 */
export const tfliteExportOptionsSchema: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  properties: tfliteExportOptionProperties,
  additionalProperties: false,
});
