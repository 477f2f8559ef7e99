/**
 * The one source of the ONNX exporter's options: the option types (`OnnxExportOptions.ts`), the
 * README table and the recipe schema's `onnx` branch are derived from it (`npm run docs:sync`).
 */

/**
 * JSON Schema properties of `OnnxExportOptions`, shared with the recipe schema.
 * @group Export: ONNX
 * @jsonSchema
 */
export const onnxExportOptionProperties = Object.freeze({
  mode: {
    type: 'string',
    enum: ['float32', 'int8'],
    default: 'float32',
    description:
      '`float32`: float weights and activations; `int8`: QDQ — int8 weights (symmetric, per output channel for convolutions, per tensor for dense) and int8 activations (asymmetric, from the optimization state\'s ranges: needs `quantize`, QAT or PTQ, before it) as QuantizeLinear/DequantizeLinear pairs, int32 biases.',
    examples: ['int8'],
  },
  description: { type: 'string', default: 'collabopt', description: 'Written into the model\'s `doc_string`.', examples: ['mnist-cnn, pruned 50%'] },
  biasOverflow: {
    type: 'string',
    enum: ['throw', 'clamp'],
    default: 'throw',
    description: 'An int32 bias that overflows in `int8` (a channel whose weights are tiny but whose bias is not): `throw`, or `clamp`.',
  },
});

/**
 * JSON Schema of `OnnxExportOptions`.
 * @group Export: ONNX
 * @jsonSchema
 */
export const onnxExportOptionsSchema: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  properties: onnxExportOptionProperties,
  additionalProperties: false,
});
