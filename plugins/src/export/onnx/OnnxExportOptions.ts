// Generated from onnxExportOptionsSchema.ts by `npm run docs:sync`; do not edit: change the schema and run it again.

/**
 * What the ONNX file computes with (see {@link OnnxExportOptions.mode}).
 * @group Export: ONNX
 */
export type OnnxMode = 'float32' | 'int8';

/**
 * Options of {@link exportOnnx} and {@link writeOnnx}, after validation (which fills in the
 * defaults).
 * @group Export: ONNX
 */
export interface OnnxExportOptions {
  /**
   * `float32`: float weights and activations; `int8`: QDQ — int8 weights (symmetric, per output
   * channel for convolutions, per tensor for dense) and int8 activations (asymmetric, from the
   * optimization state's ranges: needs `quantize`, QAT or PTQ, before it) as
   * QuantizeLinear/DequantizeLinear pairs, int32 biases.
   * @defaultValue `"float32"`
   */
  readonly mode: OnnxMode;
  /**
   * Written into the model's `doc_string`.
   * @defaultValue `"collabopt"`
   */
  readonly description: string;
  /**
   * An int32 bias that overflows in `int8` (a channel whose weights are tiny but whose bias is
   * not): `throw`, or `clamp`.
   * @defaultValue `"throw"`
   */
  readonly biasOverflow: 'throw' | 'clamp';
}
