import * as flatbuffers from 'flatbuffers';
import { operatorVersion } from './operatorVersion';
import {
  ActivationFunctionType,
  AddOptions,
  Buffer as FbBuffer,
  BuiltinOperator,
  BuiltinOptions,
  CastOptions,
  ConcatenationOptions,
  Conv2DOptions,
  DepthwiseConv2DOptions,
  DequantizeOptions,
  FullyConnectedOptions,
  FullyConnectedOptionsWeightsFormat,
  GeluOptions,
  LeakyReluOptions,
  MaximumMinimumOptions,
  GatherOptions,
  Model,
  MulOptions,
  Operator,
  OperatorCode,
  PackOptions,
  Padding,
  PadOptions,
  Pool2DOptions,
  QuantizationParameters,
  QuantizeOptions,
  ReducerOptions,
  ReshapeOptions,
  ResizeBilinearOptions,
  ResizeNearestNeighborOptions,
  SliceOptions,
  SoftmaxOptions,
  SplitOptions,
  SubOptions,
  SubGraph,
  Tensor,
  TensorType,
  TransposeConvOptions,
  TransposeOptions,
  UnpackOptions,
} from './schema/tflite_generated';
import type { GraphOp, GraphTensor, TensorDType, TfliteGraph } from './TfliteGraph';

/** TFLite schema version written into `Model.version`. */
const SCHEMA_VERSION = 3;

const TENSOR_TYPES: Record<TensorDType, TensorType> = {
  float32: TensorType.FLOAT32,
  float16: TensorType.FLOAT16,
  int8: TensorType.INT8,
  int32: TensorType.INT32,
};

/**
 * An operator code and version as written into `Model.operator_codes`.
 * @group Export: TFLite
 */
export interface WrittenOperatorCode {
  /** The builtin operator's name, e.g. `CONV_2D`. */
  readonly code: string;
  /** Its operator version, as TFLite's `op_version.cc` assigns it. */
  readonly version: number;
}

/** The bytes of a written graph, with where each tensor ended up. */
export interface SerializedTflite {
  /** The .tflite file (a standalone buffer, 16-byte aligned constant data). */
  readonly bytes: Uint8Array;
  /** Final (unique) tensor names, in tensor-index order. */
  readonly tensorNames: readonly string[];
  /** Operator codes in `operator_codes` order, with how many operators use each. */
  readonly operatorCodes: readonly (WrittenOperatorCode & { readonly count: number })[];
}

/**
 * Writes a fully lowered graph as a TFLite flatbuffer (schema version 3, identifier "TFL3"): one
 * subgraph, buffer 0 the empty sentinel, one buffer per constant tensor with its data aligned to
 * 16 bytes so runtimes can use it in place, operator versions from {@link operatorVersion}, and
 * builtin codes in both the old byte field and the int32 field, as the TF converter writes them.
 *
 * Data is written in the platform's byte order, which is little-endian on every platform tfjs
 * runs on (the format requires little-endian).
 */
export function serializeTflite(graph: TfliteGraph, description: string): SerializedTflite {
  const tensors = graph.tensors();
  const index = new Map<GraphTensor, number>(tensors.map((t, i) => [t, i]));
  const constantBytes = tensors.reduce((n, t) => n + (t.data?.byteLength ?? 0), 0);
  const builder = new flatbuffers.Builder(constantBytes + 1024 * (tensors.length + graph.ops.length) + 65536);

  // Buffers first: the big vectors go to the end of the file, tables (small) before them.
  const bufferOffsets: number[] = [];
  const bufferOf = new Map<GraphTensor, number>();
  FbBuffer.startBuffer(builder);
  bufferOffsets.push(FbBuffer.endBuffer(builder));
  for (const t of tensors) {
    if (!t.data) continue;
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    // Pad so that the vector's data (written next, back to front) starts on a 16-byte boundary.
    builder.prep(16, bytes.length);
    const data = builder.createByteVector(bytes);
    bufferOf.set(t, bufferOffsets.length);
    bufferOffsets.push(FbBuffer.createBuffer(builder, data));
  }

  const names = uniqueNames(tensors);
  const tensorOffsets = tensors.map((t, i) => {
    const shape = Tensor.createShapeVector(builder, t.shape);
    const name = builder.createString(names[i]);
    let quantization = 0;
    if (t.quant) {
      const scale = QuantizationParameters.createScaleVector(builder, t.quant.scales);
      const zeroPoint = QuantizationParameters.createZeroPointVector(builder, Array.from(t.quant.zeroPoints, (z) => BigInt(z)));
      quantization = QuantizationParameters.createQuantizationParameters(builder, 0, 0, scale, zeroPoint, t.quant.axis);
    }
    Tensor.startTensor(builder);
    Tensor.addShape(builder, shape);
    Tensor.addType(builder, TENSOR_TYPES[t.dtype]);
    Tensor.addBuffer(builder, bufferOf.get(t) ?? 0);
    Tensor.addName(builder, name);
    if (quantization) Tensor.addQuantization(builder, quantization);
    return Tensor.endTensor(builder);
  });

  const codes: (WrittenOperatorCode & { count: number })[] = [];
  const codeIndex = new Map<string, number>();
  const operatorOffsets = graph.ops.map((op) => {
    const version = operatorVersion(op);
    const key = `${op.code}:${version}`;
    let opcode = codeIndex.get(key);
    if (opcode === undefined) {
      opcode = codes.length;
      codes.push({ code: op.code, version, count: 0 });
      codeIndex.set(key, opcode);
    }
    codes[opcode].count++;
    const inputs = Operator.createInputsVector(builder, op.inputs.map((t) => index.get(t)!));
    const outputs = Operator.createOutputsVector(builder, op.outputs.map((t) => index.get(t)!));
    const [optionsType, options] = writeOptions(builder, op);
    Operator.startOperator(builder);
    Operator.addOpcodeIndex(builder, opcode);
    Operator.addInputs(builder, inputs);
    Operator.addOutputs(builder, outputs);
    if (optionsType !== BuiltinOptions.NONE) {
      Operator.addBuiltinOptionsType(builder, optionsType);
      Operator.addBuiltinOptions(builder, options);
    }
    return Operator.endOperator(builder);
  });

  const subgraph = SubGraph.createSubGraph(
    builder,
    SubGraph.createTensorsVector(builder, tensorOffsets),
    SubGraph.createInputsVector(builder, graph.inputs.map((t) => index.get(t)!)),
    SubGraph.createOutputsVector(builder, graph.outputs.map((t) => index.get(t)!)),
    SubGraph.createOperatorsVector(builder, operatorOffsets),
    builder.createString('main'),
  );
  const operatorCodes = codes.map((c) => {
    const builtin = BuiltinOperator[c.code as keyof typeof BuiltinOperator];
    return OperatorCode.createOperatorCode(builder, builtin, 0, c.version, builtin);
  });
  const model = Model.createModel(
    builder,
    SCHEMA_VERSION,
    Model.createOperatorCodesVector(builder, operatorCodes),
    Model.createSubgraphsVector(builder, [subgraph]),
    builder.createString(description),
    Model.createBuffersVector(builder, bufferOffsets),
    0,
  );
  Model.finishModelBuffer(builder, model);
  // A copy, so the result does not pin the builder's (larger) buffer and starts at offset 0.
  return { bytes: builder.asUint8Array().slice(), tensorNames: names, operatorCodes: codes };
}

function uniqueNames(tensors: readonly GraphTensor[]): string[] {
  const used = new Set<string>();
  return tensors.map((t) => {
    let name = t.name;
    for (let i = 1; used.has(name); i++) name = `${t.name}_${i}`;
    used.add(name);
    return name;
  });
}

function writeOptions(b: flatbuffers.Builder, op: GraphOp): [BuiltinOptions, number] {
  const o = op.options;
  const activation = ActivationFunctionType[o.activation ?? 'NONE'];
  const padding = o.padding === 'SAME' ? Padding.SAME : Padding.VALID;
  switch (op.code) {
    case 'CONV_2D':
      Conv2DOptions.startConv2DOptions(b);
      Conv2DOptions.addPadding(b, padding);
      Conv2DOptions.addStrideW(b, o.strideW ?? 1);
      Conv2DOptions.addStrideH(b, o.strideH ?? 1);
      Conv2DOptions.addFusedActivationFunction(b, activation);
      Conv2DOptions.addDilationWFactor(b, o.dilationW ?? 1);
      Conv2DOptions.addDilationHFactor(b, o.dilationH ?? 1);
      return [BuiltinOptions.Conv2DOptions, Conv2DOptions.endConv2DOptions(b)];
    case 'DEPTHWISE_CONV_2D':
      DepthwiseConv2DOptions.startDepthwiseConv2DOptions(b);
      DepthwiseConv2DOptions.addPadding(b, padding);
      DepthwiseConv2DOptions.addStrideW(b, o.strideW ?? 1);
      DepthwiseConv2DOptions.addStrideH(b, o.strideH ?? 1);
      DepthwiseConv2DOptions.addDepthMultiplier(b, o.depthMultiplier ?? 1);
      DepthwiseConv2DOptions.addFusedActivationFunction(b, activation);
      DepthwiseConv2DOptions.addDilationWFactor(b, o.dilationW ?? 1);
      DepthwiseConv2DOptions.addDilationHFactor(b, o.dilationH ?? 1);
      return [BuiltinOptions.DepthwiseConv2DOptions, DepthwiseConv2DOptions.endDepthwiseConv2DOptions(b)];
    case 'FULLY_CONNECTED':
      return [
        BuiltinOptions.FullyConnectedOptions,
        FullyConnectedOptions.createFullyConnectedOptions(b, activation, FullyConnectedOptionsWeightsFormat.DEFAULT, o.keepNumDims ?? false, false),
      ];
    case 'MAX_POOL_2D':
    case 'AVERAGE_POOL_2D':
      Pool2DOptions.startPool2DOptions(b);
      Pool2DOptions.addPadding(b, padding);
      Pool2DOptions.addStrideW(b, o.strideW ?? 1);
      Pool2DOptions.addStrideH(b, o.strideH ?? 1);
      Pool2DOptions.addFilterWidth(b, o.filterW ?? 1);
      Pool2DOptions.addFilterHeight(b, o.filterH ?? 1);
      Pool2DOptions.addFusedActivationFunction(b, activation);
      return [BuiltinOptions.Pool2DOptions, Pool2DOptions.endPool2DOptions(b)];
    case 'ADD':
      return [BuiltinOptions.AddOptions, AddOptions.createAddOptions(b, activation)];
    case 'MUL':
      return [BuiltinOptions.MulOptions, MulOptions.createMulOptions(b, activation)];
    case 'CONCATENATION':
      return [BuiltinOptions.ConcatenationOptions, ConcatenationOptions.createConcatenationOptions(b, o.axis ?? 0, activation)];
    case 'SOFTMAX':
      return [BuiltinOptions.SoftmaxOptions, SoftmaxOptions.createSoftmaxOptions(b, o.beta ?? 1)];
    case 'RESHAPE':
      return [BuiltinOptions.ReshapeOptions, ReshapeOptions.createReshapeOptions(b, ReshapeOptions.createNewShapeVector(b, o.newShape ?? []))];
    case 'PAD':
      return [BuiltinOptions.PadOptions, PadOptions.createPadOptions(b)];
    case 'MEAN':
    case 'REDUCE_MAX':
      return [BuiltinOptions.ReducerOptions, ReducerOptions.createReducerOptions(b, o.keepDims ?? false)];
    case 'QUANTIZE':
      return [BuiltinOptions.QuantizeOptions, QuantizeOptions.createQuantizeOptions(b)];
    case 'DEQUANTIZE':
      return [BuiltinOptions.DequantizeOptions, DequantizeOptions.createDequantizeOptions(b)];
    case 'LEAKY_RELU':
      return [BuiltinOptions.LeakyReluOptions, LeakyReluOptions.createLeakyReluOptions(b, o.alpha ?? 0.2)];
    case 'GELU':
      return [BuiltinOptions.GeluOptions, GeluOptions.createGeluOptions(b, o.approximate ?? false)];
    case 'MAXIMUM':
    case 'MINIMUM':
      return [BuiltinOptions.MaximumMinimumOptions, MaximumMinimumOptions.createMaximumMinimumOptions(b)];
    case 'TRANSPOSE_CONV':
      return [BuiltinOptions.TransposeConvOptions, TransposeConvOptions.createTransposeConvOptions(b, padding, o.strideW ?? 1, o.strideH ?? 1)];
    case 'SLICE':
      return [BuiltinOptions.SliceOptions, SliceOptions.createSliceOptions(b)];
    case 'TRANSPOSE':
      return [BuiltinOptions.TransposeOptions, TransposeOptions.createTransposeOptions(b)];
    case 'RESIZE_NEAREST_NEIGHBOR':
      // tfjs's UpSampling2D resizes with alignCorners and halfPixelCenters both false.
      return [BuiltinOptions.ResizeNearestNeighborOptions, ResizeNearestNeighborOptions.createResizeNearestNeighborOptions(b, false, false)];
    case 'RESIZE_BILINEAR':
      ResizeBilinearOptions.startResizeBilinearOptions(b);
      ResizeBilinearOptions.addAlignCorners(b, false);
      ResizeBilinearOptions.addHalfPixelCenters(b, false);
      return [BuiltinOptions.ResizeBilinearOptions, ResizeBilinearOptions.endResizeBilinearOptions(b)];
    case 'SUB':
      return [BuiltinOptions.SubOptions, SubOptions.createSubOptions(b, activation)];
    case 'GATHER':
      return [BuiltinOptions.GatherOptions, GatherOptions.createGatherOptions(b, o.axis ?? 0, 0)];
    case 'CAST':
      return [BuiltinOptions.CastOptions, CastOptions.createCastOptions(b, TENSOR_TYPES[op.inputs[0].dtype], TENSOR_TYPES[op.outputs[0].dtype])];
    case 'SPLIT':
      return [BuiltinOptions.SplitOptions, SplitOptions.createSplitOptions(b, o.count ?? op.outputs.length)];
    case 'PACK':
      return [BuiltinOptions.PackOptions, PackOptions.createPackOptions(b, o.count ?? op.inputs.length, o.axis ?? 0)];
    case 'UNPACK':
      return [BuiltinOptions.UnpackOptions, UnpackOptions.createUnpackOptions(b, o.count ?? op.outputs.length, o.axis ?? 0)];
    case 'RELU':
    case 'RELU6':
    case 'LOGISTIC':
    case 'TANH':
    case 'PRELU':
    case 'ELU':
    case 'RSQRT':
      return [BuiltinOptions.NONE, 0];
    case 'BATCH_NORM':
      throw new Error(`serializeTflite: internal error: BATCH_NORM of '${op.layer}' was not lowered`);
  }
}
