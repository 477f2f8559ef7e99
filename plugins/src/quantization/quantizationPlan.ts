import type * as tf from '@tensorflow/tfjs';
import { modelGraph, modelLayers, type ModelGraph } from '@collabopt/core';
import { FIXED_RANGE_ACTIVATIONS, isFixedRangeActivation, type FixedActivationGrid } from '../common/fixedRangeActivations';
import { isFusableActivation } from '../common/fusedActivations';
import { isSeparateActivation, SEPARATE_ACTIVATIONS } from '../common/separateActivations';
import type { WeightGranularity } from './weightChannelLayout';

/**
 * Where a layer's activation is fake-quantized.
 * @group Quantization numerics
 */
export type ActivationPlacement =
  /** Quantize the layer's output (after its fused activation). */
  | 'output'
  /** Quantize before the fused activation (softmax, sigmoid, tanh, hardSigmoid have fixed output grids). */
  | 'preActivation'
  /**
   * Quantize before the activation and the output: an elu/gelu/swish of a Dense/Conv layer is an
   * operator of its own in TFLite (`SEPARATE_ACTIVATIONS`), reading an int8 tensor and writing
   * one on the layer's range.
   */
  | 'preActivationAndOutput'
  /**
   * Nothing here: the consumer quantizes for both — a BatchNormalization or ReLU fused into this
   * layer on export, or a Concatenate, whose grid TFLite's CONCATENATION needs on every input
   * (the exporter writes this layer's output on it directly instead of rounding twice).
   */
  | 'deferred'
  /** Nothing here: the layer only moves or selects values (pooling max, reshape, dropout) and keeps its input's quantization. */
  | 'passThrough'
  /** Nothing here: the output range is fixed by the op (softmax, sigmoid, tanh). */
  | 'fixed';

/**
 * The quantization decision for one layer.
 * @group Quantization numerics
 */
export interface LayerPlan {
  /** The layer this plan is for. */
  readonly layer: tf.layers.Layer;
  /** Where its activation is fake-quantized. */
  readonly placement: ActivationPlacement;
  /** Weights quantized by projection: relative weight name → granularity. */
  readonly weights: ReadonlyMap<string, WeightGranularity>;
  /**
   * This layer's inputs that are model inputs (quantized where consumed): input index → the
   * range key, the model input layer's name. Read through nested models: a nested model's own
   * input layer stands for whatever the nested model is called on.
   */
  readonly modelInputs: ReadonlyMap<number, string>;
  /**
   * The int8 grid TFLite's kernel puts this layer's output on whatever range training saw
   * (softmax, sigmoid, tanh: `FIXED_RANGE_ACTIVATIONS`), or null. The output is rounded onto it
   * in emulation, as the file rounds it; nothing is observed or recorded for it.
   */
  readonly outputGrid: FixedActivationGrid | null;
  /**
   * The fixed grid TFLite rounds onto *inside* the layer's activation, or null: swish's σ(x)
   * (LOGISTIC, then MUL; `SEPARATE_ACTIVATIONS.swish.inner`). The emulation rounds there too.
   */
  readonly innerGrid: FixedActivationGrid | null;
}

/**
 * Whether `layer` is an `Activation('linear')`: the exporter drops it (its output is its input's
 * tensor), so it keeps its input's quantization like a pass-through layer.
 */
function isLinearActivationLayer(layer: tf.layers.Layer, act: string | null): boolean {
  return layer.getClassName() === 'Activation' && act === 'linear';
}

/** Layer classes that only move data and keep their input's quantization in TFLite. */
const PASS_THROUGH = new Set([
  'MaxPooling1D', 'MaxPooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'Flatten', 'Reshape', 'Dropout',
  'SpatialDropout1D', 'ZeroPadding2D', 'Permute', 'Cropping2D', 'UpSampling2D', 'RepeatVector', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
]);
/** Layers with weights that the quantize plugin handles (BatchNormalization: folded at export, not quantized itself). */
const WEIGHTED = new Set(['Dense', 'Conv1D', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'BatchNormalization', 'PReLU', 'Conv2DTranspose', 'SimpleRNN']);

/**
 * Whether the plugin can emulate this SimpleRNN: its state must live on a fixed int8 grid (tanh or
 * sigmoid, TANH's / LOGISTIC's), which is what the int8 file does (see `simpleRnnForward`).
 */
function emulatableRecurrent(layer: tf.layers.Layer): boolean {
  return layer.getClassName() !== 'SimpleRNN' || (isFixedRangeActivation(activationName(layer)) && activationName(layer) !== 'softmax');
}

function activationName(layer: tf.layers.Layer): string | null {
  const cls = layer.getClassName();
  if (cls === 'ReLU') return (layer as unknown as { maxValue?: number | null }).maxValue === 6 ? 'relu6' : 'relu';
  if (cls === 'Softmax') return 'softmax';
  // A recurrent layer keeps its activation on its cell.
  const holder = layer as unknown as { activation?: { getClassName(): string }; cell?: { activation?: { getClassName(): string } } };
  const act = holder.activation ?? holder.cell?.activation;
  return act && typeof act.getClassName === 'function' ? act.getClassName() : null;
}

/** Whether `layer` is an activation layer that TFLite fuses into the op before it (ReLU, ReLU6). */
function isFusableRelu(layer: tf.layers.Layer): boolean {
  const cls = layer.getClassName();
  if (cls !== 'ReLU' && cls !== 'Activation') return false;
  return isFusableActivation(activationName(layer));
}

/**
 * A linear Dense/Conv feeding a BatchNormalization: the exporter folds the BN into it (not into a
 * Conv2DTranspose: TRANSPOSE_CONV is not a fold target, the BN stays a layer of its own).
 */
function feedsBatchNorm(layer: tf.layers.Layer, sole: tf.layers.Layer, act: string | null): boolean {
  const cls = layer.getClassName();
  return sole.getClassName() === 'BatchNormalization' && cls !== 'BatchNormalization' && cls !== 'Conv2DTranspose' && act === 'linear';
}

/** Who consumes what, read once from the model's flat call graph (nested models inlined). */
interface GraphUse {
  /** The layers that consume each layer's outputs (any call). */
  readonly consumers: ReadonlyMap<tf.layers.Layer, readonly tf.layers.Layer[]>;
  /** For each layer, its first call's inputs that are model inputs: index → input layer name. */
  readonly modelInputs: ReadonlyMap<tf.layers.Layer, ReadonlyMap<number, string>>;
}

function graphUse(graph: ModelGraph): GraphUse {
  const producer = new Map<string, tf.layers.Layer>();
  for (const node of graph.nodes) for (const key of node.outputs) producer.set(key, node.layer);
  const inputName = new Map(graph.inputs.map((i) => [i.key, i.layer.name]));
  const consumers = new Map<tf.layers.Layer, tf.layers.Layer[]>();
  const modelInputs = new Map<tf.layers.Layer, Map<number, string>>();
  for (const node of graph.nodes) {
    for (const key of node.inputs) {
      const from = producer.get(key);
      if (!from) continue;
      const list = consumers.get(from) ?? [];
      if (!list.includes(node.layer)) list.push(node.layer);
      consumers.set(from, list);
    }
    if (!modelInputs.has(node.layer)) {
      const uses = new Map<number, string>();
      node.inputs.forEach((key, i) => {
        const name = inputName.get(key);
        if (name !== undefined) uses.set(i, name);
      });
      modelInputs.set(node.layer, uses);
    }
  }
  return { consumers, modelInputs };
}

function granularityOf(layer: tf.layers.Layer, weightName: string): WeightGranularity | null {
  switch (layer.getClassName()) {
    case 'SimpleRNN':
      // FULLY_CONNECTED kernels in the file: per tensor, as Dense.
      return weightName === 'kernel' || weightName === 'recurrent_kernel' ? { kind: 'perTensor' } : null;
    case 'Dense':
      // Per tensor: what older TFLite runtimes execute correctly for FULLY_CONNECTED (and TFMOT's default).
      return weightName === 'kernel' ? { kind: 'perTensor' } : null;
    case 'Conv1D':
    case 'Conv2D':
      return weightName === 'kernel' ? { kind: 'perAxis', axis: -1 } : null;
    case 'Conv2DTranspose':
      // Per tensor: its kernel [h, w, out, in] has its output channels on the third axis, which
      // the per-channel grid records (indexed by the last axis) cannot describe.
      return weightName === 'kernel' ? { kind: 'perTensor' } : null;
    case 'DepthwiseConv2D':
      return weightName === 'depthwise_kernel' ? { kind: 'depthwise' } : null;
    case 'SeparableConv2D':
      if (weightName === 'depthwise_kernel') return { kind: 'depthwise' };
      return weightName === 'pointwise_kernel' ? { kind: 'perAxis', axis: -1 } : null;
    case 'PReLU':
      // Symmetric per tensor: what the exporter writes for PRELU's slopes.
      return weightName === 'alpha' ? { kind: 'perTensor' } : null;
    default:
      return null;
  }
}

/**
 * Result of {@link quantizationPlan}.
 * @group Quantization numerics
 */
export interface QuantizationPlan {
  /** One plan per layer of the model, in topological order. */
  readonly layers: readonly LayerPlan[];
  /** Layers with weights that cannot be quantized (name and class). */
  readonly unsupported: readonly {
    /** Layer name. */
    name: string;
    /** Its tfjs class name. */
    className: string;
  }[];
}

/**
 * Decides, for every layer of the model, where activations are fake-quantized and which weights
 * are quantized, following TFMOT's default 8-bit scheme as TFLite executes it:
 * - weights: symmetric int8 per output channel for Conv1D/Conv2D/SeparableConv2D pointwise, per
 *   real output channel for depthwise kernels, per tensor for Dense;
 * - outputs quantized after linear/ReLU-like activations, *before* softmax/sigmoid/tanh/hardSigmoid,
 *   whose outputs are then rounded onto their fixed grid (`outputGrid`), and both before and
 *   after an elu/gelu/swish of a Dense/Conv layer (swish also inside, at σ(x): `innerGrid`);
 * - PReLU's slopes symmetric int8 per tensor, its output quantized;
 * - Conv/Dense → BatchNormalization (→ ReLU) and X → ReLU: quantized once, after the last layer of
 *   the group (what the exporter fuses into one op); a layer read only by a Concatenate: quantized
 *   by the Concatenate's output (TFMOT quantizes only a Concatenate's output, too);
 * - pooling-max, reshape, padding, dropout, `Activation('linear')`: no quantization of their own;
 * - model inputs: quantized where they are consumed.
 *
 * @param selected the layers the plugin applies to (others stay float).
 * @group Quantization numerics
 */
export function quantizationPlan(model: tf.LayersModel, selected: ReadonlySet<tf.layers.Layer>): QuantizationPlan {
  const all = modelLayers(model);
  const use = graphUse(modelGraph(model));
  const layers: LayerPlan[] = [];
  const unsupported: { name: string; className: string }[] = [];
  for (const layer of all) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || !selected.has(layer)) continue;
    if (layer.weights.length > 0 && (!WEIGHTED.has(cls) || !emulatableRecurrent(layer))) {
      unsupported.push({ name: layer.name, className: cls });
      continue;
    }
    const weights = new Map<string, WeightGranularity>();
    for (const v of layer.weights) {
      const rel = v.originalName.startsWith(`${layer.name}/`) ? v.originalName.slice(layer.name.length + 1) : v.originalName;
      const g = granularityOf(layer, rel);
      if (g) weights.set(rel, g);
    }
    const next = use.consumers.get(layer) ?? [];
    const sole = next.length === 1 ? next[0] : null;
    const act = activationName(layer);
    let placement: ActivationPlacement;
    if (PASS_THROUGH.has(cls) || isLinearActivationLayer(layer, act)) placement = 'passThrough';
    else if ((cls === 'Activation' || cls === 'Softmax') && isFixedRangeActivation(act)) placement = 'fixed';
    else if (isFixedRangeActivation(act)) placement = 'preActivation';
    else if (isSeparateActivation(act) && cls !== 'Activation') placement = 'preActivationAndOutput';
    else if (sole && selected.has(sole) && (feedsBatchNorm(layer, sole, act) || (isFusableRelu(sole) && (act === null || act === 'linear')) || sole.getClassName() === 'Concatenate')) {
      placement = 'deferred';
    } else placement = 'output';
    const modelInputs = use.modelInputs.get(layer) ?? new Map<number, string>();
    const outputGrid = (placement === 'fixed' || placement === 'preActivation') && isFixedRangeActivation(act) ? FIXED_RANGE_ACTIVATIONS[act] : null;
    const inner = isSeparateActivation(act) ? SEPARATE_ACTIVATIONS[act].inner : null;
    const innerGrid = inner ? FIXED_RANGE_ACTIVATIONS[inner] : null;
    layers.push({ layer, placement, weights, modelInputs, outputGrid, innerGrid });
  }
  return { layers, unsupported };
}
