import type * as tf from '@tensorflow/tfjs';
import { TfliteExportError, type UnsupportedLayer } from '../../../errors/TfliteExportError';
import type { TfliteMode } from '../TfliteExportOptions';
import type { LayerConfig } from './layerConfig';
import type { LayerLowering } from './LayerLowering';
import { layerLowerings } from './layerLowerings';
import { modelGraph, type ModelGraphNode } from '@collabopt/core';

export { TFLITE_ACTIVATIONS, type ActivationName } from './TFLITE_ACTIVATIONS';
export { TFLITE_LAYER_CLASSES } from './TFLITE_LAYER_CLASSES';

/**
 * Checks that every layer of `model` can be written as TFLite: its class has a lowering and its
 * configuration is one the lowering handles (channels-last, supported activation, ...), its
 * shapes are fixed apart from the batch. Nested models are checked layer by layer (they are
 * inlined, see {@link modelGraph}).
 *
 * The exporter calls this before building anything, and the `tflite` plugin when it is applied,
 * so that an unsupported model fails before training, not after. With `mode: 'int8'` it also
 * refuses the classes the int8 file cannot hold or QAT cannot emulate (each lowering's
 * `int8Problem`, e.g. the gates of GRU/LSTM), naming the layer, its class and why.
 *
 * @param mode the file's mode; without it, only what no mode can write is refused.
 * @throws TfliteExportError (`unsupported-layer`) listing every offending layer with its class
 *   and the reason (`error.unsupported` has them as data).
 * @group Export: TFLite
 */
export function checkTfliteSupport(model: tf.LayersModel, mode?: TfliteMode): void {
  checkSupport(model, layerLowerings, mode);
}

/**
 * {@link checkTfliteSupport} against a given registry (tests check that support follows the registry).
 * @internal
 */
export function checkSupport(model: tf.LayersModel, registry: ReadonlyMap<string, LayerLowering>, mode?: TfliteMode): void {
  const mg = modelGraph(model);
  const problems: UnsupportedLayer[] = [];
  for (const input of mg.inputs) {
    const reason = inputProblem(input.symbolic);
    if (reason) problems.push({ layer: input.layer.name, className: input.layer.getClassName(), reason });
  }
  for (const node of mg.nodes) {
    const reason = layerProblem(node, registry, mode);
    if (reason) problems.push({ layer: node.layer.name, className: node.layer.getClassName(), reason });
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - '${p.layer}' (${p.className}): ${p.reason}`);
    throw new TfliteExportError(
      'unsupported-layer',
      `TFLite export: ${problems.length} layer(s) of model '${model.name}' cannot be exported:\n${lines.join('\n')}\n` +
        `Supported layer classes: ${[...registry.keys()].join(', ')}.`,
      problems,
    );
  }
}

function inputProblem(symbolic: tf.SymbolicTensor): string | null {
  if (symbolic.dtype !== 'float32') return `model input of dtype ${symbolic.dtype}; only float32 inputs can be exported`;
  if (symbolic.shape.slice(1).some((d) => d === null)) {
    return `input shape [${symbolic.shape.map((d) => d ?? 'null').join(', ')}] has an unknown dimension besides the batch; TFLite files have fixed shapes`;
  }
  return null;
}

/** Why a layer call cannot be exported, or null: the checks common to every class, then its lowering's own. */
function layerProblem(node: ModelGraphNode, registry: ReadonlyMap<string, LayerLowering>, mode: TfliteMode | undefined): string | null {
  const layer = node.layer;
  const cls = layer.getClassName();
  const lowering = registry.get(cls);
  if (!lowering) return `no TFLite lowering for layer class ${cls}`;
  for (const out of node.symbolicOutputs) {
    if (out.shape.slice(1).some((d) => d === null)) {
      return `output shape [${out.shape.map((d) => d ?? 'null').join(', ')}] has an unknown dimension besides the batch; TFLite files have fixed shapes`;
    }
  }
  const config = layer.getConfig() as LayerConfig;
  if (config['dataFormat'] !== undefined && config['dataFormat'] !== 'channelsLast') {
    return `dataFormat '${String(config['dataFormat'])}'; TFLite kernels are channels-last (NHWC)`;
  }
  const problem = lowering.check?.(node, config) ?? null;
  if (problem || mode !== 'int8') return problem;
  const int8 = lowering.int8Problem?.(node, config) ?? null;
  return int8 ? `not in int8: ${int8} (float32, float16 and dynamic-range files can hold it)` : null;
}
