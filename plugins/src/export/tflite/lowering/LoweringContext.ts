import type * as tf from '@tensorflow/tfjs';
import { modelWeights, outputChannelLayout, preActivationRangeKey, type TargetWeight } from '@collabopt/core';
import { FIXED_RANGE_ACTIVATIONS, isFixedRangeActivation, type FixedRangeActivation } from '../../../common/fixedRangeActivations';
import { FUSED_ACTIVATIONS, isFusableActivation } from '../../../common/fusedActivations';
import { isSeparateActivation } from '../../../common/separateActivations';
import { emitHardSigmoid, emitSeparateActivation } from './activationOperators';
import { TfliteExportError } from '../../../errors/TfliteExportError';
import { GraphTensor, TfliteGraph, type FusedActivation, type GraphOp, type OpCode, type OpOptions, type QuantRule } from '../TfliteGraph';
import { outFirst, transposeConvLayout } from '../weightLayout';
import { pair, type LayerConfig } from './layerConfig';
import type { ModelGraphNode } from '@collabopt/core';

/** TFLite's operator for each fixed-range activation with one (its int8 output grid is in `FIXED_RANGE_ACTIVATIONS`; hardSigmoid is `emitHardSigmoid`). */
const FIXED_RANGE_OPS: Readonly<Record<Exclude<FixedRangeActivation, 'hardSigmoid'>, OpCode>> = { sigmoid: 'LOGISTIC', softmax: 'SOFTMAX', tanh: 'TANH' };

/**
 * What a {@link LayerLowering} builds with: the graph being lowered and the helpers every layer
 * needs (weights in TFLite layout, activation handling, quantization rules), so that each lowering
 * module states only what is particular to its class.
 */
export class LoweringContext {
  readonly graph = new TfliteGraph();
  private readonly weights: Map<string, TargetWeight>;
  private readonly constants = new Map<string, GraphTensor>();

  constructor(
    model: tf.LayersModel,
    /** The batch dimension the file's shapes are fixed to. */
    readonly batchSize: number,
  ) {
    this.weights = modelWeights(model);
  }

  /** A symbolic shape with the batch dimension fixed. */
  shapeOf(s: tf.SymbolicTensor): number[] {
    return s.shape.map((d, i) => (i === 0 ? this.batchSize : (d as number)));
  }

  /** The fixed shape of the call's first output. */
  outShape(node: ModelGraphNode): number[] {
    return this.shapeOf(node.symbolicOutputs[0]);
  }

  /** Tensor name for a call's output (`layer`, `layer#1` for a shared layer's second call), optionally with a suffix. */
  nameOf(node: ModelGraphNode, suffix = ''): string {
    const base = node.nodeIndex === 0 ? node.layer.name : `${node.layer.name}#${node.nodeIndex}`;
    return suffix ? `${base}/${suffix}` : base;
  }

  /** The int8 rule "take the range recorded under `key`" (the layer's own name by default). */
  rangeRule(node: ModelGraphNode, key = node.layer.name, what?: string): Extract<QuantRule, { kind: 'range' }> {
    return { kind: 'range', key, what: what ?? `output of '${node.layer.name}' (${node.layer.getClassName()})` };
  }

  /** A new output tensor of the call whose int8 grid is the layer's recorded range. */
  output(node: ModelGraphNode, shape: number[]): GraphTensor {
    const out = new GraphTensor(this.nameOf(node), shape, 'float32');
    out.rule = this.rangeRule(node);
    return out;
  }

  /** Appends an operator implementing (part of) the call's layer. */
  op(node: ModelGraphNode, code: OpCode, inputs: GraphTensor[], outputs: GraphTensor[], options: OpOptions = {}): GraphOp {
    return this.graph.addOp({ code, inputs, outputs, options, layer: node.layer.name, className: node.layer.getClassName() });
  }

  /** Float values of a layer weight (a copy), checked for NaN/Inf. */
  values(node: ModelGraphNode, weightName: string): Float32Array {
    const id = `${node.layer.name}/${weightName}`;
    const w = this.weights.get(id);
    if (!w) throw new Error(`lowerModel: internal error: layer '${node.layer.name}' has no weight '${weightName}'`);
    const v = Float32Array.from(w.value().dataSync() as Float32Array);
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        throw new TfliteExportError('numeric', `TFLite export: weight '${id}' element ${i} is ${v[i]}; only finite weights can be exported`);
      }
    }
    return v;
  }

  /** Whether the layer has the weight (e.g. a bias, or BatchNormalization's gamma). */
  hasWeight(node: ModelGraphNode, weightName: string): boolean {
    return this.weights.has(`${node.layer.name}/${weightName}`);
  }

  /**
   * A kernel constant in TFLite layout, shared between calls of a shared layer. The layout follows
   * the weight's output channels (`outputChannelLayout`): depthwise kernels keep the Keras element
   * order (`[1, h, w, in · m]`), every other kernel has its output axis moved to the front, unless
   * `kerasOrder` keeps it last (an Embedding table, which GATHER reads row by row).
   */
  kernel(node: ModelGraphNode, weightName: string, fileShape: number[], kerasOrder = false): GraphTensor {
    const id = `${node.layer.name}/${weightName}`;
    const cached = this.constants.get(id);
    if (cached) return cached;
    const w = this.weights.get(id)!;
    const kerasShape = [...w.shape];
    const channelLayout = outputChannelLayout(node.layer.getClassName(), weightName, kerasShape);
    if (!channelLayout) throw new Error(`lowerModel: internal error: weight '${id}' of shape [${kerasShape.join(', ')}] is no kernel`);
    const layout = kerasOrder ? 'keras' : channelLayout.depthwise ? 'depthwise' : 'outFirst';
    const outChannels = channelLayout.channels;
    const raw = this.values(node, weightName);
    // A lowering that misreads the layer (e.g. its channel multiplier) must not write a kernel of the wrong size.
    if (fileShape.reduce((a, b) => a * b, 1) !== raw.length) {
      throw new Error(`lowerModel: internal error: weight '${id}' has ${raw.length} values, its file shape [${fileShape.join(', ')}] holds ${fileShape.reduce((a, b) => a * b, 1)}`);
    }
    const t = new GraphTensor(id, fileShape, 'float32', layout === 'outFirst' ? outFirst(raw, outChannels) : raw);
    t.source = {
      weightId: id,
      layer: node.layer.name,
      className: node.layer.getClassName(),
      kerasShape,
      layout,
      outChannels,
      foldedScale: null,
      foldedFrom: null,
    };
    this.constants.set(id, t);
    return t;
  }

  /**
   * A Conv2DTranspose kernel (`[h, w, out, in]`) as TRANSPOSE_CONV's `[out, h, w, in]` constant,
   * shared between calls. Its output channels are the third Keras axis, which
   * `outputChannelLayout` (last axis) does not describe: the file stores it with the
   * `transposeConv` layout and it is quantized per tensor.
   */
  transposeConvKernel(node: ModelGraphNode): GraphTensor {
    const id = `${node.layer.name}/kernel`;
    const cached = this.constants.get(id);
    if (cached) return cached;
    const w = this.weights.get(id);
    if (!w) throw new Error(`lowerModel: internal error: layer '${node.layer.name}' has no weight 'kernel'`);
    const kerasShape = [...w.shape];
    const [h, wd, out, inC] = kerasShape as [number, number, number, number];
    const t = new GraphTensor(id, [out, h, wd, inC], 'float32', transposeConvLayout(this.values(node, 'kernel'), kerasShape));
    t.source = { weightId: id, layer: node.layer.name, className: node.layer.getClassName(), kerasShape, layout: 'transposeConv', outChannels: out, foldedScale: null, foldedFrom: null };
    this.constants.set(id, t);
    return t;
  }

  /** The layer's bias, or zeros (TFLite's kernels, old versions especially, expect one). */
  bias(node: ModelGraphNode, size: number, weightName = 'bias'): GraphTensor {
    const id = `${node.layer.name}/${weightName}`;
    const cached = this.constants.get(id);
    if (cached) return cached;
    const data = this.hasWeight(node, weightName) ? this.values(node, weightName) : new Float32Array(size);
    const t = new GraphTensor(id, [size], 'float32', data);
    this.constants.set(id, t);
    return t;
  }

  /** An int32 constant (shapes, axes, paddings). */
  int32Constant(name: string, shape: number[], values: number[]): GraphTensor {
    return new GraphTensor(name, shape, 'int32', Int32Array.from(values));
  }

  /** A float32 constant that is no model weight (an epsilon, a slope, a zero bias). */
  floatConstant(name: string, shape: number[], values: ArrayLike<number>): GraphTensor {
    return new GraphTensor(name, shape, 'float32', Float32Array.from(values));
  }

  /**
   * Emits the layer's main operator through `build` (which must write the tensor it is given),
   * then its activation: ReLU/ReLU6 fused; sigmoid/tanh/softmax/hardSigmoid (fixed output grids)
   * and elu/gelu/swish (`SEPARATE_ACTIVATIONS`: output on the layer's range) as separate
   * operators reading a tensor whose range is `preActivationRangeKey(layer)`.
   */
  activated(node: ModelGraphNode, activation: string, shape: number[], build: (out: GraphTensor, fused: FusedActivation) => void): GraphTensor {
    if (!isFixedRangeActivation(activation) && !isSeparateActivation(activation)) {
      const out = this.output(node, shape);
      build(out, isFusableActivation(activation) ? FUSED_ACTIVATIONS[activation] : 'NONE');
      return out;
    }
    const pre = new GraphTensor(this.nameOf(node, 'preactivation'), shape, 'float32');
    pre.rule = this.rangeRule(
      node,
      preActivationRangeKey(node.layer.name),
      `value before the '${activation}' activation of '${node.layer.name}' (${node.layer.getClassName()})`,
    );
    build(pre, 'NONE');
    if (isFixedRangeActivation(activation)) return this.fixedActivation(node, activation, pre);
    const out = this.output(node, shape);
    emitSeparateActivation(this, node, activation, pre, out);
    return out;
  }

  /** A sigmoid/tanh/softmax operator (or hardSigmoid's operators), its output on the grid TFLite's kernel (the exporter, for hardSigmoid) fixes. */
  fixedActivation(node: ModelGraphNode, act: FixedRangeActivation, input: GraphTensor): GraphTensor {
    const grid = FIXED_RANGE_ACTIVATIONS[act];
    const out = new GraphTensor(this.nameOf(node), input.shape, 'float32');
    out.rule = { kind: 'fixed', scale: grid.scale, zeroPoint: grid.zeroPoint };
    if (act === 'hardSigmoid') emitHardSigmoid(this, node, input, out);
    else this.op(node, FIXED_RANGE_OPS[act], [input], [out], act === 'softmax' ? { beta: 1 } : {});
    return out;
  }

  /** The call computes nothing at inference: its output is its input (reported as removed). */
  alias(node: ModelGraphNode, input: GraphTensor): GraphTensor[] {
    if (node.nodeIndex === 0) this.graph.notes.removed.push(node.layer.name);
    return [input];
  }

  /** A new output tensor that must share `input`'s quantization (TFLite requires it for the operator). */
  sameAs(node: ModelGraphNode, input: GraphTensor, shape = input.shape): GraphTensor {
    const out = new GraphTensor(this.nameOf(node), shape, 'float32');
    out.rule = { kind: 'same', as: input };
    return out;
  }

  /** Padding, strides and dilation of a convolution layer's config as operator options. */
  convOptions(config: LayerConfig): OpOptions {
    const [sh, sw] = pair(config['strides'], 1);
    const [dh, dw] = pair(config['dilationRate'], 1);
    return {
      padding: config['padding'] === 'same' ? 'SAME' : 'VALID',
      strideW: sw,
      strideH: sh,
      dilationW: dw,
      dilationH: dh,
    };
  }
}
