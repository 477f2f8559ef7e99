// Generated from exportSpecSchema.ts (one branch per registered exporter) by `npm run docs:sync`; do not edit: change the schema and run it again.

/**
 * One entry of a recipe's `exports`, by `format`. The variant and target keys get their defaults
 * from `validateRecipe`.
 */
export type ExportSpec =
  | {
      /** A TFLite flatbuffer (the `tflite` exporter). */
      readonly format: 'tflite';
      /** File name inside the recipe's output directory. Default `model-<mode>.tflite`. */
      readonly file?: string;
      /**
       * `float32`: no quantization; `float16`: weights stored as float16 (DEQUANTIZE ops at load
       * time); `dynamic-range`: int8 conv/depthwise/dense weights, float activations (TFLite's
       * hybrid kernels); `int8`: full integer — int8 weights and activations, int32 biases,
       * activation ranges from the optimization state (needs `quantize`, QAT or PTQ, before it).
       * @defaultValue `"float32"`
       */
      readonly mode?: 'float32' | 'float16' | 'dynamic-range' | 'int8';
      /**
       * Type of the model's input and output tensors: `float32` (QUANTIZE/DEQUANTIZE ops inside an
       * int8 file) or `int8` (the file takes and returns int8 tensors; their scale and zero point
       * are in the file and the report); `int8` only with `mode: "int8"`.
       * @defaultValue `"float32"`
       */
      readonly inputOutputType?: 'float32' | 'int8';
      /**
       * Batch size the file's shapes are fixed to.
       * @defaultValue `1`
       */
      readonly batchSize?: number;
      /**
       * Written into the file's `description` field.
       * @defaultValue `"collabopt"`
       */
      readonly description?: string;
      /**
       * An int32 bias that overflows (a channel whose weights are tiny but whose bias is not):
       * `throw`, or `clamp` as TFLite's own quantizer does silently.
       * @defaultValue `"throw"`
       */
      readonly biasOverflow?: 'throw' | 'clamp';
      /**
       * Scales of Dense int8 weights in an `int8` file: `per-tensor` (as TFMOT; the only form
       * TFLite 2.9 / tfjs-tflite-node computes right) or `per-channel` (one per output unit; right
       * in LiteRT and current TFLite, wrong outputs in TFLite 2.9). Only with `mode: "int8"`.
       * @defaultValue `"per-tensor"`
       */
      readonly denseWeights?: 'per-tensor' | 'per-channel';
    }
  | {
      /** A tfjs Layers model: model.json + weight shards (the `tfjsExport` exporter). */
      readonly format: 'tfjs';
      /**
       * Directory name inside the recipe's output directory (replaced as a whole). Default
       * `tfjs-<quantization>`.
       */
      readonly dir?: string;
      /**
       * How float32 weights are stored: `none` (float32), `uint8` / `uint16` (affine, 1 / 2 bytes),
       * `float16`. Only float32 weights are quantized.
       * @defaultValue `"none"`
       */
      readonly quantization?: 'none' | 'uint8' | 'uint16' | 'float16';
      /**
       * Largest weight file in bytes: the weights are cut into `group1-shard{i}of{n}.bin` files of
       * this size (4 MiB is the converter's default, the largest file browsers cache).
       * @defaultValue `4194304`
       */
      readonly shardSizeBytes?: number;
    }
  | {
      /**
       * An ONNX model for onnxruntime (Node, web): float32, or int8 as
       * QuantizeLinear/DequantizeLinear (QDQ).
       */
      readonly format: 'onnx';
      /** File name inside the recipe's output directory. Default `model-<mode>.onnx`. */
      readonly file?: string;
      /**
       * `float32`: float weights and activations; `int8`: QDQ — int8 weights (symmetric, per output
       * channel for convolutions, per tensor for dense) and int8 activations (asymmetric, from the
       * optimization state's ranges: needs `quantize`, QAT or PTQ, before it) as
       * QuantizeLinear/DequantizeLinear pairs, int32 biases.
       * @defaultValue `"float32"`
       */
      readonly mode?: 'float32' | 'int8';
      /**
       * Written into the model's `doc_string`.
       * @defaultValue `"collabopt"`
       */
      readonly description?: string;
      /**
       * An int32 bias that overflows in `int8` (a channel whose weights are tiny but whose bias is
       * not): `throw`, or `clamp`.
       * @defaultValue `"throw"`
       */
      readonly biasOverflow?: 'throw' | 'clamp';
    };
