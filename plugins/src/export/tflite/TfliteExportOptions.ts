// Generated from tfliteExportOptionsSchema.ts by `npm run docs:sync`; do not edit: change the schema and run it again.

/**
 * What the TFLite file computes with (see {@link TfliteExportOptions.mode}).
 * @group Export: TFLite
 */
export type TfliteMode = 'float32' | 'float16' | 'dynamic-range' | 'int8';

/**
 * Type of the model's input and output tensors in an `int8` file.
 * @group Export: TFLite
 */
export type TfliteIoType = 'float32' | 'int8';

/**
 * Options of {@link exportTflite} (and, with `path`, of the `tflite` exporter plugin), after
 * validation (which fills in the defaults).
 * @group Export: TFLite
 */
export interface TfliteExportOptions {
  /**
   * `float32`: no quantization; `float16`: weights stored as float16 (DEQUANTIZE ops at load time);
   * `dynamic-range`: int8 conv/depthwise/dense weights, float activations (TFLite's hybrid
   * kernels); `int8`: full integer — int8 weights and activations, int32 biases, activation ranges
   * from the optimization state (needs `quantize`, QAT or PTQ, before it).
   * @defaultValue `"float32"`
   */
  readonly mode: TfliteMode;
  /**
   * Type of the model's input and output tensors: `float32` (QUANTIZE/DEQUANTIZE ops inside an int8
   * file) or `int8` (the file takes and returns int8 tensors; their scale and zero point are in the
   * file and the report); `int8` only with `mode: "int8"`.
   * @defaultValue `"float32"`
   */
  readonly inputOutputType: TfliteIoType;
  /**
   * Batch size the file's shapes are fixed to.
   * @defaultValue `1`
   */
  readonly batchSize: number;
  /**
   * Written into the file's `description` field.
   * @defaultValue `"collabopt"`
   */
  readonly description: string;
  /**
   * An int32 bias that overflows (a channel whose weights are tiny but whose bias is not): `throw`,
   * or `clamp` as TFLite's own quantizer does silently.
   * @defaultValue `"throw"`
   */
  readonly biasOverflow: 'throw' | 'clamp';
  /**
   * Scales of Dense int8 weights in an `int8` file: `per-tensor` (as TFMOT; the only form TFLite
   * 2.9 / tfjs-tflite-node computes right) or `per-channel` (one per output unit; right in LiteRT
   * and current TFLite, wrong outputs in TFLite 2.9). Only with `mode: "int8"`.
   * @defaultValue `"per-tensor"`
   */
  readonly denseWeights: 'per-tensor' | 'per-channel';
}
