import type * as tf from '@tensorflow/tfjs';
import { modelGraph, type ModelGraphNode } from './modelGraph';
import { TfliteExportError, type UnsupportedLayer } from '../TfliteExportError';

/**
 * Activations the exporter can write, as tfjs serialises them in layer configs.
 * @group Export: TFLite
 */
export const TFLITE_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax'] as const;
/** An activation the exporter can write. */
export type ActivationName = (typeof TFLITE_ACTIVATIONS)[number];

/**
 * Layer classes with a TFLite lowering.
 * @group Export: TFLite
 */
export const TFLITE_LAYER_CLASSES: readonly string[] = Object.freeze([
  'Dense',
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'Conv1D',
  'BatchNormalization',
  'ReLU',
  'Activation',
  'Softmax',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Reshape',
  'Dropout',
  'ZeroPadding2D',
  'Add',
  'Concatenate',
  'Multiply',
]);

type Config = Record<string, unknown>;

/**
 * Checks that every layer of `model` can be written as TFLite: its class has a lowering and its
 * configuration is one the lowering handles (channels-last, supported activation, ...), its
 * shapes are fixed apart from the batch, and it is not a nested model.
 *
 * The exporter calls this before building anything, and the `tflite` plugin when it is applied,
 * so that an unsupported model fails before training, not after.
 *
 * @throws TfliteExportError (`unsupported-layer`) listing every offending layer with its class
 *   and the reason (`error.unsupported` has them as data).
 * @group Export: TFLite
 */
export function checkTfliteSupport(model: tf.LayersModel): void {
  const mg = modelGraph(model);
  const problems: UnsupportedLayer[] = [];
  for (const input of mg.inputs) {
    const reason = inputProblem(input.symbolic);
    if (reason) problems.push({ layer: input.layer.name, className: input.layer.getClassName(), reason });
  }
  for (const node of mg.nodes) {
    const reason = layerProblem(node);
    if (reason) problems.push({ layer: node.layer.name, className: node.layer.getClassName(), reason });
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - '${p.layer}' (${p.className}): ${p.reason}`);
    throw new TfliteExportError(
      'unsupported-layer',
      `TFLite export: ${problems.length} layer(s) of model '${model.name}' cannot be exported:\n${lines.join('\n')}\n` +
        `Supported layer classes: ${TFLITE_LAYER_CLASSES.join(', ')}.`,
      problems,
    );
  }
}

function activationOf(config: Config): string {
  return typeof config['activation'] === 'string' ? (config['activation'] as string) : 'linear';
}

function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0] ?? fallback), Number(v[1] ?? v[0] ?? fallback)];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
}

function inputProblem(symbolic: tf.SymbolicTensor): string | null {
  if (symbolic.dtype !== 'float32') return `model input of dtype ${symbolic.dtype}; only float32 inputs can be exported`;
  if (symbolic.shape.slice(1).some((d) => d === null)) {
    return `input shape [${symbolic.shape.map((d) => d ?? 'null').join(', ')}] has an unknown dimension besides the batch; TFLite files have fixed shapes`;
  }
  return null;
}

/** Why a layer call cannot be exported, or null. */
function layerProblem(node: ModelGraphNode): string | null {
  const layer = node.layer;
  const cls = layer.getClassName();
  const nested = layer as unknown as { layers?: unknown; predict?: unknown };
  if (Array.isArray(nested.layers) && typeof nested.predict === 'function') {
    return 'a nested model used as a layer; the TFLite exporter does not inline nested models (build the model from their layers directly)';
  }
  if (!TFLITE_LAYER_CLASSES.includes(cls)) return `no TFLite lowering for layer class ${cls}`;
  for (const out of node.symbolicOutputs) {
    if (out.shape.slice(1).some((d) => d === null)) {
      return `output shape [${out.shape.map((d) => d ?? 'null').join(', ')}] has an unknown dimension besides the batch; TFLite files have fixed shapes`;
    }
  }
  const config = layer.getConfig() as Config;
  if (config['dataFormat'] !== undefined && config['dataFormat'] !== 'channelsLast') {
    return `dataFormat '${String(config['dataFormat'])}'; TFLite kernels are channels-last (NHWC)`;
  }
  const inRank = node.symbolicInputs[0]?.rank ?? 0;
  switch (cls) {
    case 'Dense':
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
    case 'Conv1D': {
      const act = activationOf(config);
      if (!(TFLITE_ACTIVATIONS as readonly string[]).includes(act)) {
        return `activation '${act}'; supported activations: ${TFLITE_ACTIVATIONS.join(', ')}`;
      }
      if (cls === 'Conv1D' && config['padding'] === 'causal') return `padding 'causal' (tfjs cannot run it either)`;
      if (cls === 'Dense' && inRank < 2) return `input of rank ${inRank}; Dense needs at least [batch, features]`;
      const [dh, dw] = pair(config['dilationRate'], 1);
      const [sh, sw] = pair(config['strides'], 1);
      if ((dh > 1 || dw > 1) && (sh > 1 || sw > 1)) return 'both strides and dilation above 1 (TF does not define it)';
      return null;
    }
    case 'BatchNormalization': {
      const axis = Number(config['axis'] ?? -1);
      if (axis !== -1 && axis !== inRank - 1) {
        return `axis ${axis}; only the last (channel) axis can be folded or written as MUL + ADD`;
      }
      if (inRank < 2) return `input of rank ${inRank}`;
      return null;
    }
    case 'ReLU': {
      const maxValue = config['maxValue'];
      if (maxValue !== undefined && maxValue !== null && maxValue !== 6) {
        return `maxValue ${String(maxValue)}; TFLite has RELU and RELU6 only`;
      }
      return null;
    }
    case 'Activation': {
      const act = activationOf(config);
      return (TFLITE_ACTIVATIONS as readonly string[]).includes(act) ? null : `activation '${act}'; supported activations: ${TFLITE_ACTIVATIONS.join(', ')}`;
    }
    case 'Softmax': {
      const axis = Number(config['axis'] ?? -1);
      return axis === -1 || axis === inRank - 1 ? null : `axis ${axis}; TFLite SOFTMAX works on the last axis only`;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'ZeroPadding2D':
      return inRank === 4 ? null : `input of rank ${inRank}; expected [batch, height, width, channels]`;
    case 'Concatenate': {
      const rank = node.symbolicOutputs[0].rank;
      const axis = Number(config['axis'] ?? -1);
      const a = axis < 0 ? axis + rank : axis;
      return a >= 1 && a < rank ? null : `axis ${axis}; concatenation along the batch axis cannot be exported`;
    }
    default:
      return null;
  }
}

