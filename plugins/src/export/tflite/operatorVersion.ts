import type { GraphOp } from './TfliteGraph';

/**
 * The builtin-operator version a TFLite runtime needs to run `op`, following TFLite's own
 * versioning rules (`lite/tools/versioning/op_version.cc`) for the cases the exporter emits.
 * A runtime refuses a file whose operator versions it does not register, and an *older* version
 * than the op needs would select the wrong kernel, so this must be exact, not "latest":
 *
 * | operator | float32 | int8 (full integer) | hybrid (float in, int8 weights) | other |
 * |---|---|---|---|---|
 * | CONV_2D | 1 | 3 | 5 per channel (2 per tensor) | |
 * | DEPTHWISE_CONV_2D | 1 (2 with dilation) | 3 | 6 per channel (4 per tensor) | |
 * | FULLY_CONNECTED | 1 | 4 | 3 | 5 with keep_num_dims |
 * | ADD, CONCATENATION, PAD, MAX/AVERAGE_POOL_2D, MEAN, REDUCE_MAX, RELU, RELU6, LOGISTIC, TANH, SOFTMAX | 1 | 2 | | |
 * | MUL | 1 | 2 (3 when in1·in2/out scale ≥ 1) | | |
 * | MAXIMUM, MINIMUM, GELU | 1 | 2 | | |
 * | LEAKY_RELU, PRELU, ELU | 1 | 1 | | |
 * | RESHAPE | 1 | 1 | | |
 * | TRANSPOSE_CONV (with its bias input) | 3 | 3 | 3 | |
 * | SLICE, TRANSPOSE, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR (rank ≤ 4, no half-pixel centers) | 1 | 2 | | |
 * | SUB, GATHER, SPLIT, PACK, UNPACK, RSQRT | 1 | 2 (PACK, UNPACK: SimpleRNN; the others are never int8) | | |
 * | CAST | 1 | | | |
 * | QUANTIZE | | 1 (float→int8, int8→int8) | | |
 * | DEQUANTIZE | | 2 (int8) | | 3 (float16) |
 */
export function operatorVersion(op: GraphOp): number {
  const input = op.inputs[0]?.dtype;
  const output = op.outputs[0]?.dtype;
  const weight = op.inputs[1]?.dtype;
  const int8 = input === 'int8';
  switch (op.code) {
    case 'CONV_2D':
      if (int8 && weight === 'int8') return 3;
      if (input === 'float32' && weight === 'int8') return (op.inputs[1].quant?.scales.length ?? 1) > 1 ? 5 : 2;
      return 1;
    case 'DEPTHWISE_CONV_2D':
      if (int8 && weight === 'int8') return 3;
      if (input === 'float32' && weight === 'int8') return (op.inputs[1].quant?.scales.length ?? 1) > 1 ? 6 : 4;
      return (op.options.dilationW ?? 1) !== 1 || (op.options.dilationH ?? 1) !== 1 ? 2 : 1;
    case 'FULLY_CONNECTED':
      if (op.options.keepNumDims) return 5;
      if (int8 && weight === 'int8') return 4;
      if (input === 'float32' && weight === 'int8') return 3;
      return 1;
    case 'MUL': {
      if (!int8) return 1;
      const s1 = op.inputs[0].quant!.scales[0];
      const s2 = op.inputs[1].quant!.scales[0];
      const so = op.outputs[0].quant!.scales[0];
      return (s1 * s2) / so >= 1 ? 3 : 2;
    }
    case 'ADD':
    case 'CONCATENATION':
    case 'PAD':
    case 'MAX_POOL_2D':
    case 'AVERAGE_POOL_2D':
    case 'MEAN':
    case 'REDUCE_MAX':
    case 'RELU':
    case 'RELU6':
    case 'LOGISTIC':
    case 'TANH':
    case 'SOFTMAX':
    case 'MAXIMUM':
    case 'MINIMUM':
    case 'GELU':
      return int8 ? 2 : 1;
    // Version 2 of LEAKY_RELU is int16; PRELU and ELU have one version for every type.
    case 'LEAKY_RELU':
    case 'PRELU':
    case 'ELU':
      return 1;
    case 'TRANSPOSE_CONV':
      // op_version.cc: a bias input makes version 3 whatever the types; collabopt always writes one.
      return op.inputs.length === 4 ? 3 : weight === 'int8' ? 2 : 1;
    case 'SLICE':
    case 'TRANSPOSE':
    case 'RESIZE_NEAREST_NEIGHBOR':
    case 'RESIZE_BILINEAR':
      return int8 ? 2 : 1;
    case 'RESHAPE':
    case 'QUANTIZE':
    case 'CAST':
      return 1;
    // PACK and UNPACK are int8 in a SimpleRNN; the others only in float (their layers refuse int8).
    case 'SUB':
    case 'GATHER':
    case 'SPLIT':
    case 'PACK':
    case 'UNPACK':
    case 'RSQRT':
      return int8 ? 2 : 1;
    case 'DEQUANTIZE':
      return input === 'float16' ? 3 : 2;
    case 'BATCH_NORM':
      throw new Error(`operatorVersion: internal error: BATCH_NORM of '${op.layer}' was not lowered`);
    default: {
      const code: never = op.code;
      throw new Error(`operatorVersion: unknown operator ${String(code)} (output ${output})`);
    }
  }
}
