import type * as tf from '@tensorflow/tfjs';
import { modelWeights, type OptimizationState } from '@collabopt/core';
import { operatorGraph } from '../operatorGraph';
import { readTflite } from './read/readTflite';
import { serializeTflite } from './serializeTflite';
import { toDynamicRangeGraph } from './passes/toDynamicRangeGraph';
import { toFloat16Graph } from './passes/toFloat16Graph';
import { toInt8Graph } from './passes/toInt8Graph';
import type { TfliteExportOptions } from './TfliteExportOptions';
import type { TfliteExportReport, TfliteIoQuantization } from './TfliteExportReport';
import type { GraphTensor, TfliteGraph } from './TfliteGraph';
import { verifyExportedWeights, type ExportedWeight } from './read/verifyExportedWeights';

/**
 * The bytes of a TFLite file and what went into them.
 * @group Export: TFLite
 */
export interface TfliteExport {
  /** The .tflite file. */
  readonly bytes: Uint8Array;
  /** What was written: mode, operators, per-kernel storage, sparsity, distinct values and verified invariants. */
  readonly report: TfliteExportReport;
}

/**
 * Converts a tfjs LayersModel to a TFLite flatbuffer, in memory:
 *
 * 1. `lowerModel`: check every layer (all unsupported ones reported at once), build the operator
 *    graph with TFLite layouts;
 * 2. `foldBatchNorm`, then `fuseActivations` (1 and 2 are `operatorGraph`, shared with the ONNX
 *    exporter);
 * 3. the mode's pass: `toFloat16Graph`, `toDynamicRangeGraph` or `toInt8Graph` (float32: none);
 * 4. `serializeTflite`;
 * 5. `readTflite` + `verifyExportedWeights`: the kernels are read back from the bytes and checked
 *    against the state's claims (sparsity, clusters, int8-grid); any mismatch throws.
 *
 * Nothing touches the file system; {@link writeTflite} writes the result atomically.
 * @group Export: TFLite
 */
export class TfliteConverter {
  /**
   * @param model a built Sequential or functional model.
   * @param options validated options (see `resolveTfliteExportOptions`).
   * @param state the optimization state: invariant claims to honour and verify, activation ranges
   *   for `int8`.
   */
  constructor(
    private readonly model: tf.LayersModel,
    private readonly options: TfliteExportOptions,
    private readonly state?: OptimizationState,
  ) {}

  /** Runs the conversion. @throws TfliteExportError (see its `reason`s). */
  convert(): TfliteExport {
    const { options, state } = this;
    const graph = operatorGraph(this.model, options.batchSize, options.mode);
    switch (options.mode) {
      case 'float16':
        toFloat16Graph(graph);
        break;
      case 'dynamic-range':
        toDynamicRangeGraph(graph, state);
        break;
      case 'int8':
        toInt8Graph(graph, {
          ranges: state?.activationRanges ?? new Map(),
          state,
          io: options.inputOutputType,
          biasOverflow: options.biasOverflow,
          denseWeights: options.denseWeights,
        });
        break;
      case 'float32':
        break;
    }
    const written = serializeTflite(graph, options.description);
    const file = readTflite(written.bytes);
    const tensors = graph.tensors();
    const exported: ExportedWeight[] = [];
    tensors.forEach((t, tensorIndex) => {
      if (t.source && t.isConstant) exported.push({ tensorIndex, source: t.source });
    });
    const weights = modelWeights(this.model);
    const weightReports = verifyExportedWeights(file, exported, state, (id) => weights.get(id)!.value().dataSync());
    const io = (list: readonly GraphTensor[]): TfliteIoQuantization[] =>
      list.map((t) => ({
        name: written.tensorNames[tensors.indexOf(t)],
        shape: t.shape,
        dtype: t.dtype,
        scale: t.quant ? t.quant.scales[0] : null,
        zeroPoint: t.quant ? t.quant.zeroPoints[0] : null,
      }));
    return {
      bytes: written.bytes,
      report: {
        mode: options.mode,
        inputOutputType: options.inputOutputType,
        batchSize: options.batchSize,
        bytes: written.bytes.byteLength,
        operators: written.operatorCodes,
        inputs: io(graph.inputs),
        outputs: io(graph.outputs),
        weights: weightReports,
        ...notesOf(graph),
      },
    };
  }
}

function notesOf(graph: TfliteGraph): Pick<TfliteExportReport, 'foldedBatchNorms' | 'expandedBatchNorms' | 'fusedActivations' | 'removedLayers' | 'notes'> {
  return {
    foldedBatchNorms: [...graph.notes.folded],
    expandedBatchNorms: [...graph.notes.expanded],
    fusedActivations: [...graph.notes.fused],
    removedLayers: [...graph.notes.removed],
    notes: [...new Set(graph.notes.quantization)],
  };
}
