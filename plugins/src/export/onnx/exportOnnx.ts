import type * as tf from '@tensorflow/tfjs';
import { modelWeights, validatePluginOptions, type OptimizationState } from '@collabopt/core';
import { onnx } from 'onnx-proto';
import { operatorGraph } from '../operatorGraph';
import { toInt8Graph } from '../tflite/passes/toInt8Graph';
import type { OnnxExportOptions } from './OnnxExportOptions';
import type { OnnxExportReport } from './OnnxExportReport';
import { onnxExportOptionsSchema } from './onnxExportOptionsSchema';
import { readOnnx } from './read/readOnnx';
import { verifyOnnxWeights } from './read/verifyOnnxWeights';
import { translateGraph } from './translateGraph';

/**
 * The default-domain opset of every file: QuantizeLinear/DequantizeLinear per axis, Softmax on
 * one axis and Clip with min/max inputs are all opset 13.
 * @group Export: ONNX
 */
export const ONNX_OPSET = 13;

/** IR version 7 is the one opset 13 came with; every onnxruntime since 1.6 loads it. */
const IR_VERSION = 7;

/**
 * An ONNX export in memory: the bytes and what went into them.
 * @group Export: ONNX
 */
export interface OnnxExport {
  /** The ONNX file. */
  readonly bytes: Uint8Array;
  /** What was written (see the report type). */
  readonly report: OnnxExportReport;
}

/**
 * Writes a tfjs LayersModel as an ONNX model, in memory (browser-safe):
 *
 * 1. the operator graph the TFLite exporter writes (`operatorGraph`: the same layer plan, folded
 *    BatchNormalization, fused activations), and for `int8` the same quantization plan
 *    (`toInt8Graph`: activation grids from the state's ranges, kernels per channel or per tensor
 *    on the state's `int8-grid`, int32 biases);
 * 2. `translateGraph`: ONNX nodes, NHWC at every tensor as in tfjs, QDQ pairs for int8;
 * 3. encoded with `onnx-proto` (protobufjs and the ONNX schema);
 * 4. read back (`readOnnx`) and every kernel checked against the state's invariants
 *    (`verifyOnnxWeights`); a mismatch throws and no bytes are returned.
 *
 * Inputs and outputs are float32 with a free batch dimension.
 *
 * @throws PluginOptionsError for bad options; TfliteExportError for what the shared operator graph
 *   refuses (unsupported layers, missing activation ranges, off-grid weights, bias overflow);
 *   OnnxExportError (`invariant`) when the written kernels contradict the state.
 * @group Export: ONNX
 */
export function exportOnnx(model: tf.LayersModel, options: Partial<OnnxExportOptions> = {}, state?: OptimizationState): OnnxExport {
  const resolved = validatePluginOptions<OnnxExportOptions>('exportOnnx', onnxExportOptionsSchema as Record<string, unknown>, options);
  const graph = operatorGraph(model, 1, resolved.mode === 'int8' ? 'int8' : 'float32');
  if (resolved.mode === 'int8') {
    toInt8Graph(graph, { ranges: state?.activationRanges ?? new Map(), state, io: 'float32', biasOverflow: resolved.biasOverflow });
  }
  const translated = translateGraph(graph);
  const valueInfo = (v: { name: string; shape: readonly number[] }): onnx.IValueInfoProto => ({
    name: v.name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: v.shape.map((d, i) => (i === 0 ? { dimParam: 'batch' } : { dimValue: d })) },
      },
    },
  });
  const proto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'collabopt',
    producerVersion: '0.1.0',
    docString: resolved.description,
    graph: {
      name: model.name,
      node: translated.builder.nodes,
      initializer: translated.builder.initializers,
      input: translated.inputs.map(valueInfo),
      output: translated.outputs.map(valueInfo),
    },
  });
  const bytes = onnx.ModelProto.encode(proto).finish();
  const file = readOnnx(bytes);
  const weights = modelWeights(model);
  const weightReports = verifyOnnxWeights(file, translated.kernels, state, (id) => weights.get(id)!.value().dataSync());
  const counts = new Map<string, number>();
  for (const n of file.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  return {
    bytes,
    report: {
      mode: resolved.mode,
      opset: ONNX_OPSET,
      bytes: bytes.byteLength,
      operators: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([opType, count]) => ({ opType, count })),
      inputs: file.inputs.map(({ name, shape }) => ({ name, shape })),
      outputs: file.outputs.map(({ name, shape }) => ({ name, shape })),
      weights: weightReports,
      foldedBatchNorms: [...graph.notes.folded],
      expandedBatchNorms: [...graph.notes.expanded],
      fusedActivations: [...graph.notes.fused],
      removedLayers: [...graph.notes.removed],
      notes: [...new Set(graph.notes.quantization)],
    },
  };
}
