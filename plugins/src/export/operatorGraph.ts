import type * as tf from '@tensorflow/tfjs';
import { foldBatchNorm } from './tflite/passes/foldBatchNorm';
import { fuseActivations } from './tflite/passes/fuseActivations';
import { lowerModel } from './tflite/lowering/lowerModel';
import type { TfliteGraph } from './tflite/TfliteGraph';
import type { TfliteMode } from './tflite/TfliteExportOptions';

/**
 * The float operator graph every graph exporter starts from: the layer plan (`lowerModel`: every
 * layer checked, kernels in output-channel-major layouts, activations with their int8 rules), with
 * BatchNormalization folded and activations fused. The TFLite exporter writes it (after its
 * mode's pass); the ONNX exporter translates it node by node, so both formats compute the same
 * operators with the same quantization plan (`toInt8Graph`).
 *
 * @param batchSize the batch dimension the graph's shapes are fixed to.
 * @param mode the mode the graph is for (`int8` refuses the classes without an int8 form).
 * @throws TfliteExportError (`unsupported-layer`) listing every layer that cannot be lowered.
 * @group Export
 */
export function operatorGraph(model: tf.LayersModel, batchSize: number, mode?: TfliteMode): TfliteGraph {
  const graph = lowerModel(model, batchSize, mode);
  foldBatchNorm(graph);
  fuseActivations(graph);
  return graph;
}
